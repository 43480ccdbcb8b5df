"""Table 三 continued over pages as pymupdf4llm prints a PDF's table (layout `md_continued`).

The report is samples/synth's `markdown` layout with table 三 as a converter that reads each
cell's box from the PDF's rules writes it: its header row a markdown table's (a `---` rule
under it), its first page's rows under it; each later page a new markdown table with **no
header row** (its first row a data row above the rule), its labels wrapped inside their cells
(`1.属<br>于国<br>家秘<br>密`), empty cells printed as `||`, and the columns blank in every row
of the page left out (pymupdf4llm drops them). Where zeros print as 0 no column is left out:
each page is as wide as the table.

Public API: `continued_markdown`.
"""

from __future__ import annotations

from dataclasses import replace

from samples.synth import ReportSpec, make_report

__all__ = ["continued_markdown"]

_PAGES = 3  # table 三's data rows over this many pages
_WRAP = 2  # CJK characters a line of a wrapped label (an enumerator's `1.` beside the first: `1.属<br>于国`)


def continued_markdown(spec: ReportSpec) -> str:
    """The report, table 三 over pages with no header row after the first."""
    text = make_report(replace(spec, layout="markdown"))
    lines = text.split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("| （本列数据"))
    first = next(i for i in range(head, len(lines)) if lines[i].startswith("| 一、"))
    last = next(i for i in range(first, len(lines)) if not lines[i].startswith("|")) - 1
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[first:last + 1]]
    out = lines[:head + 1] + ["| --- | --- |"] + lines[head + 1:first]
    size = -(-len(rows) // _PAGES)
    for p in range(0, len(rows), size):
        page = rows[p:p + size]
        if p == 0:
            out += ["| " + " | ".join(r) + " |" for r in page]
            continue
        keep = [j for j in range(1, len(page[0])) if any(r[j] for r in page)]
        body = ["|" + "|".join([_wrapped(r[0]), *(r[j] for j in keep)]) + "|" for r in page]
        out += ["", "", body[0], "|" + "---|" * (len(keep) + 1), *body[1:], ""]
    return "\n".join(out + lines[last + 1:])


def _wrapped(label: str) -> str:
    """A label as a narrow cell prints it: a line break every few characters (`1.属<br>于国<br>家秘<br>密`)."""
    first = len(label) - len(label.lstrip("0123456789.")) + 1 if label[:1].isdigit() else _WRAP
    return "<br>".join([label[:first]] + [label[i:i + _WRAP] for i in range(first, len(label), _WRAP)])
