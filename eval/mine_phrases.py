"""Rebuild the boilerplate phrase library (extractor/review/data/boilerplate_shingles.txt).

    python eval/mine_phrases.py

Reads the section 五 texts of the development part of the gold split only (eval/gold/split.json),
so the test part stays unseen: every normalised run of SHINGLE characters that two or more
different bodies print is written out, one a line.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.evaluation._gold import REPO_ROOT, gold_dir, shared_dir  # noqa: E402
from extractor.evaluation._section5 import load_section5_gold  # noqa: E402
from extractor.review._phrases import SHINGLE, shingles  # noqa: E402

OUT = REPO_ROOT / "extractor" / "narrative" / "data" / "boilerplate_shingles.txt"
MIN_BODIES = 2


def main() -> None:
    bodies = json.loads((gold_dir() / "split.json").read_text(encoding="utf-8"))["bodies"]
    body_of = {item: name for name, b in bodies.items() if b["split"] == "dev" for item in b["items"]}
    seen: dict[str, set[str]] = defaultdict(set)
    shared = shared_dir()
    texts = 0
    for gold in load_section5_gold():
        body = body_of.get(gold.id)
        if body is None:
            continue
        texts += 1
        for sh in set(shingles(gold.text(shared))):
            seen[sh].add(body)
    kept = sorted(sh for sh, who in seen.items() if len(who) >= MIN_BODIES)
    header = (f"# {len(kept)} runs of {SHINGLE} characters printed in section 五 by {MIN_BODIES}+ bodies; "
              f"mined from {texts} development texts by eval/mine_phrases.py\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} shingles from {texts} texts of {len(set(body_of.values()))} bodies -> {OUT}")


if __name__ == "__main__":
    main()
