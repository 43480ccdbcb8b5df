"""Chinese titles for findings on the service's pages and letters, from the project's message
catalogue (extractor/messages/_catalogue.py), the one place they are written; a code the
catalogue does not know (a newer results.db) is shown as it is."""

from __future__ import annotations

from extractor.messages import check_title, verdict_label, warning_title

__all__ = ["finding_title", "verdict"]


def finding_title(kind: str, code: str) -> str:
    return warning_title(code) if kind == "warning" else check_title(code)


def verdict(value: str | None) -> str:
    return verdict_label(value)
