"""Versioned prompt files (extractor/prompts/<name>/<version>.md, shipped inside the package and
read with importlib.resources), rendered with the taxonomy; EXTRACTOR_PROMPTS_DIR points at
another folder of them.

A prompt whose user part has `{{statements}}` (v3) is sent our own segmentation, numbered, and
is answered with statement ids; the others (v1, v2) with verbatim quotes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.narrative.taxonomy import themes_table_markdown

PROMPTS_DIR = Path(os.environ.get("EXTRACTOR_PROMPTS_DIR") or str(files("extractor") / "prompts"))
_PART = re.compile(r"^## (system|user)\s*$", re.M)


class PromptError(ExtractorError):
    pass


@dataclass(frozen=True)
class Prompt:
    version: str  # e.g. "section5/v1"
    system: str
    user: str

    @property
    def numbered(self) -> bool:
        """Answered with ids of our pre-segmented statements (v3), not with quotes."""
        return "{{statements}}" in self.user

    def messages(self, section: str, starts: list[int] | None = None) -> list[dict[str, str]]:
        """The chat messages; for a numbered prompt, `starts` are where our statements begin: the
        section is sent once, with [n] before statement n (headings and bridges stay visible)."""
        user = self.user.replace("{{section}}", section)
        if self.numbered:
            marked, last = [], 0
            for n, start in enumerate(starts or [], 1):
                marked += [section[last:start], f"[{n}] "]
                last = start
            marked.append(section[last:])
            user = user.replace("{{statements}}", "".join(marked))
        return [
            {"role": "system", "content": self.system.replace("{{taxonomy}}", themes_table_markdown())},
            {"role": "user", "content": user},
        ]

    def template_text(self) -> str:
        return self.system + "\n" + self.user


def prompt_exists(version: str) -> bool:
    return bool(re.fullmatch(r"[\w-]+/[\w.-]+", version)) and (PROMPTS_DIR / f"{version}.md").is_file()


def load_prompt(version: str) -> Prompt:
    path = PROMPTS_DIR / f"{version}.md"
    if not prompt_exists(version):
        known = sorted(str(p.relative_to(PROMPTS_DIR).with_suffix("")) for p in PROMPTS_DIR.glob("*/*.md"))
        raise PromptError(f"no prompt '{version}' (known: {', '.join(known) or 'none'})")
    text = path.read_text(encoding="utf-8")
    parts = _PART.split(text)
    found = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(found) != {"system", "user"} or not ("{{section}}" in found["user"] or "{{statements}}" in found["user"]):
        raise PromptError(f"prompt {path} needs '## system' and '## user' parts, the user part with {{{{section}}}} "
                          "or {{{{statements}}}}")
    return Prompt(version, found["system"], found["user"])
