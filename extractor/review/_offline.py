"""The offline backend: deterministic rules, no network, no key (the default).

Statements from `segment.split_statements`; themes from the taxonomy's lexicons, read in the
statement's lead clause (a measure's heading: 加强政策解读。…) and, for the rest of a long
statement, only where a theme recurs; boilerplate from `boilerplate.py`; the section's
judgement from the taxonomy's rules.
"""

from __future__ import annotations

import re

from extractor.document import fold_chars
from extractor.review._boilerplate import is_boilerplate
from extractor.review._models import Review, Statement, Substantive
from extractor.review._segment import split_statements
from extractor.review._taxonomy import THEMES

__all__ = ["BACKEND", "MODEL", "PROMPT_VERSION", "judge", "review_text", "themes_of"]

BACKEND = "offline"
MODEL = "rules-v1"
PROMPT_VERSION = "offline/v1"

_NOTHING = re.compile(r"^\s*(?:无|没有|暂无|本年度?无)[^。]{0,12}[。.]?\s*$")
_LEAD = re.compile(r"[。；;]")


def themes_of(text: str) -> list[str]:
    folded = fold_chars(text)
    lead_end = _LEAD.search(folded)
    lead = folded[: lead_end.start()] if lead_end and lead_end.start() >= 4 else folded
    rest = folded[len(lead):]
    found = []
    for theme in THEMES:
        if theme.lexicon.search(lead) or len(theme.lexicon.findall(rest)) >= 2:
            found.append(theme.key)
    return found or ["other"]


def judge(statements: list[Statement]) -> tuple[Substantive, str]:
    """The section's judgement from its statements (taxonomy.md "Substantive judgement")."""
    if not statements:
        return "absent", "no problem or improvement statements"
    problems = [s for s in statements if s.kind == "problem"]
    measures = [s for s in statements if s.kind == "improvement"]
    specific_p = [s for s in problems if not s.boilerplate]
    specific_m = [s for s in measures if not s.boilerplate]
    admitted = {t for s in problems for t in s.themes if t != "other"}
    aimed = [s for s in specific_m if admitted & set(s.themes)]
    if specific_p and aimed:
        return "substantive", (f"{len(specific_p)} specific problem(s); {len(aimed)} specific measure(s) aimed at "
                               f"admitted problems ({', '.join(sorted(admitted & {t for s in aimed for t in s.themes}))})")
    if not specific_p and not specific_m:
        return "boilerplate", f"all {len(statements)} statements are boilerplate"
    why = "no specific problem" if not specific_p else "no specific measure aimed at an admitted problem"
    return "partial", f"{why}; {len(specific_p)} of {len(problems)} problems and {len(specific_m)} of {len(measures)} measures specific"


def review_text(text: str | None, source: str = "<text>") -> Review:
    base = dict(source=source, backend=BACKEND, model=MODEL, prompt_version=PROMPT_VERSION)
    if text is None or not text.strip():
        return Review(**base, section_found=text is not None, substantive="absent",
                      reason="no section 五" if text is None else "section 五 is empty")
    if _NOTHING.match(text):
        return Review(**base, substantive="absent", reason="section 五 says there is nothing to report")
    statements = []
    for span in split_statements(text):
        piece = text[span.start:span.end]
        boiler, why = is_boilerplate(piece)
        statements.append(Statement(kind=span.kind, text=piece, start=span.start, end=span.end,
                                    themes=themes_of(piece), boilerplate=boiler, evidence=why))
    verdict, reason = judge(statements)
    return Review(**base, statements=statements, substantive=verdict, reason=reason)
