"""The codebook: every field of both template versions, read from the registry
(`tables/template.py`), as CSV or Markdown. `extractor codebook` prints it; the workbook's
字段说明 sheet and the Chinese column headers come from the same rows.

Public API: `codebook_rows()`, `codebook_csv()`, `codebook_markdown()`.
"""

from __future__ import annotations

import csv
import io

from extractor.tables._template import CODEBOOK_COLUMNS, field_specs

__all__ = ["codebook_csv", "codebook_markdown", "codebook_rows"]


def codebook_rows() -> list[dict[str, str]]:
    return [spec.row() for spec in field_specs()]


def codebook_csv() -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CODEBOOK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows())
    return buf.getvalue()


def codebook_markdown() -> str:
    def cell(v: str) -> str:
        return v.replace("|", "\\|")

    lines = ["| " + " | ".join(CODEBOOK_COLUMNS) + " |", "|" + "---|" * len(CODEBOOK_COLUMNS)]
    lines += ["| " + " | ".join(cell(r[c]) for c in CODEBOOK_COLUMNS) + " |" for r in codebook_rows()]
    return "\n".join(lines) + "\n"
