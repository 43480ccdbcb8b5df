"""Versioned prompt files (prompts/<name>/<version>.md), rendered with the taxonomy."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.narrative.taxonomy import themes_table_markdown

PROMPTS_DIR = Path(os.environ.get("EXTRACTOR_PROMPTS_DIR") or Path(__file__).resolve().parents[2] / "prompts")
_PART = re.compile(r"^## (system|user)\s*$", re.M)


class PromptError(ExtractorError):
    pass


@dataclass(frozen=True)
class Prompt:
    version: str  # e.g. "section5/v1"
    system: str
    user: str

    def messages(self, section: str) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self.system.replace("{{taxonomy}}", themes_table_markdown())},
            {"role": "user", "content": self.user.replace("{{section}}", section)},
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
    if set(found) != {"system", "user"} or "{{section}}" not in found["user"]:
        raise PromptError(f"prompt {path} needs '## system' and '## user' parts, the user part with {{{{section}}}}")
    return Prompt(version, found["system"], found["user"])
