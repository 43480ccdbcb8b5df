"""Synthetic reports as DOCX (python-docx) and PDF (reportlab), tables drawn with the template's
merged cells, for tests and samples. Everything here is made up for this project."""

from __future__ import annotations

from pathlib import Path

from samples.synth import COLS, T2, T3, T4_KEYS, ReportSpec, _fmt

Cell = tuple[str, int, int]  # text, rowspan, colspan

_GROUPS = {"（三）不予公开": "withheld", "（四）无法提供": "unable", "（五）不予处理": "not_processed", "（六）其他处理": "other"}


def table2_grid(spec: ReportSpec) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for caption, heads, items, cols in T2[spec.version]:
        rows.append([(caption, 1, 4)])
        rows.append([("信息内容", 1, 1)] + [(h.replace("<br/>", ""), 1, 3 if len(heads) == 1 else 1) for h in heads]
                    + ([("", 1, 1)] if len(heads) == 2 else []))
        for label, row in items:
            values = [_fmt(spec.values.get(f"active_disclosure.{row}.{c}"), spec.blank_zeros) for c in cols]
            cells = [(label, 1, 1)] + [(v, 1, 3 if len(values) == 1 else 1) for v in values]
            rows.append(cells + ([("", 1, 1)] if len(values) == 2 else []))
    return rows


def table3_grid(spec: ReportSpec) -> list[list[Cell]]:
    """Table 三 as printed: 3 label columns (merged) and 7 value columns."""
    v = spec.values

    def vals(row: str) -> list[Cell]:
        return [(_fmt(v.get(f"applications.{row}.{c}"), spec.blank_zeros), 1, 1) for c in COLS]

    rows: list[list[Cell]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
        [("一、本年新收政府信息公开申请数量", 1, 3), *vals("received_new")],
        [("二、上年结转政府信息公开申请数量", 1, 3), *vals("carried_over_from_prev")],
    ]
    body: list[list[Cell]] = []
    entries = [(label, row) for label, row in T3[spec.version] if label not in ("一、本年新收政府信息公开申请数量",
               "二、上年结转政府信息公开申请数量", "三、本年度办理结果")]
    i = 0
    while i < len(entries):
        label, row = entries[i]
        if row is None:  # a group: its sub-rows follow
            subs = []
            i += 1
            while i < len(entries) and entries[i][1] and entries[i][0][0].isdigit():
                subs.append(entries[i])
                i += 1
            for j, (sub_label, sub_row) in enumerate(subs):
                first = [(label, len(subs), 1)] if j == 0 else []
                body.append(first + [(sub_label, 1, 1), *vals(sub_row)])
            continue
        body.append([(label, 1, 2), *vals(row)])
        i += 1
    body.append([("（七）总计", 1, 2), *vals("results.total")])
    body[0] = [("三、本年度办理结果", len(body), 1)] + body[0]
    rows += body
    rows.append([("四、结转下年度继续办理", 1, 3), *vals("carried_to_next")])
    return rows


def table4_grid(spec: ReportSpec) -> list[list[Cell]]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*((r, 2, 1) for r in results), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*((r, 1, 1) for r in results * 2)],
        [(_fmt(spec.values.get(k), spec.blank_zeros), 1, 1) for k in T4_KEYS],
    ]


def _text_parts(spec: ReportSpec) -> list[str | tuple[str, list[list[Cell]]]]:
    five = spec.section5.format(year=spec.year, next=spec.year + 1)
    return [
        f"{spec.org}{spec.year}年政府信息公开工作年度报告",
        "一、总体情况", f"{spec.year}年，{spec.org}认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "二、主动公开政府信息情况", ("t2", table2_grid(spec)),
        "三、收到和处理政府信息公开申请情况", ("t3", table3_grid(spec)),
        "四、政府信息公开行政复议、行政诉讼情况", ("t4", table4_grid(spec)),
        "五、存在的主要问题及改进情况", *five.split("\n"),
        "六、其他需要报告的事项", "本年度未收取信息处理费。", spec.org, f"{spec.year + 1}年1月20日",
    ]


# What converters (markitdown, pandoc, pymupdf4llm …) make of a merged table, as pipe rows: a
# merged cell's text once, followed by an empty cell per further column it spans, a rowspan's
# later rows without it, and each row padded out with its own number of empty cells.
CONVERTED = ("md_group_first", "pipe_group_first", "md_footer", "md_narrative", "md_br", "md_pandoc", "spaces_dropped",
             "md_t4_pieces", "md_lost_headings")


def converted_markdown(spec: ReportSpec, seed: int = 0) -> str:
    """The report as a converter's markdown (spec.layout one of CONVERTED): `md_group_first` the
    tables as said above, `pipe_group_first` the same without border pipes; `md_footer` with a page footer (`— 4 —`, `第 3 页`) inside table 三;
    `md_narrative` with an overview numbered 一、二、三 of its own before the tables; `md_br` with
    `<br>` after some values (pymupdf4llm); `md_pandoc` with blank zeros printed as pandoc
    writes a dash, `---`; `spaces_dropped` each row's cells separated by spaces, empty cells
    dropped (pdfplumber's text); `md_t4_pieces` table 四 printed as three tables, one per group;
    `md_lost_headings` without the headings of sections 三 and 五 (lost in the conversion)."""
    import random
    from dataclasses import replace

    rnd = random.Random(seed)
    out: list[str] = []
    pandoc = spec.layout == "md_pandoc"
    for part in _text_parts(replace(spec, blank_zeros=False) if pandoc else spec):
        if isinstance(part, str):
            if spec.layout == "md_lost_headings" and part.startswith(("三、收到", "五、存在")):
                continue
            out.append(part)
            if spec.layout == "md_narrative" and part == "一、总体情况":
                out += ["一、加强组织领导", "成立政务公开工作领导小组，统筹推进全年工作。",
                        "二、工作机制保障", "完善信息发布审核机制，做到先审后发。",
                        "三、平台建设", "优化门户网站栏目设置，新增政策解读专栏。"]
            continue
        name, grid = part
        if spec.layout == "md_t4_pieces" and name == "t4":
            results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            values = [_fmt(spec.values.get(k), spec.blank_zeros) for k in T4_KEYS]
            for g, group in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
                out += [f"| {group} |  |  |  |  |", "| --- | --- | --- | --- | --- |", "| " + " | ".join(results) + " |",
                        "| " + " | ".join(values[5 * g:5 * g + 5]) + " |", ""]
            continue
        width = _width(grid)
        rows = []
        for cells in grid:
            printed: list[str] = []
            for text, _rowspan, colspan in cells:
                if pandoc and text == "0" and spec.blank_zeros:
                    text = "---"
                elif spec.layout == "md_br" and text.isdigit() and rnd.random() < 0.3:
                    text += "<br>"
                printed += [text] + [""] * (colspan - 1)
            if spec.layout == "spaces_dropped":
                rows.append("  ".join(t for t in printed if t))
                continue
            printed += [""] * rnd.randint(0, 3)  # each row its own padding
            if spec.layout == "pipe_group_first":  # no border pipes, as PDF-to-text converters write
                rows.append(" | ".join(printed))
            else:
                rows.append("| " + " | ".join(printed) + " |")
        if spec.layout not in ("pipe_group_first", "spaces_dropped"):
            rows.insert(1, "|" + " --- |" * width)
        if spec.layout == "md_footer" and name == "t3":
            rows.insert(len(rows) // 2, rnd.choice(["— 4 —", "第 3 页", "- 5 -"]))
        out += rows
    return "\n".join(out) + "\n"


def _width(grid: list[list[Cell]]) -> int:
    return sum(c for _, _, c in grid[0])


def _placements(grid: list[list[Cell]]):
    """(row, col, cell) with spans resolved, like a browser lays out a table."""
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(grid):
        col = 0
        for text, rowspan, colspan in cells:
            while (r, col) in taken:
                col += 1
            yield r, col, (text, rowspan, colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, col + dc))
            col += colspan


def write_docx(spec: ReportSpec, path: Path) -> Path:
    import docx

    document = docx.Document()
    for part in _text_parts(spec):
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        grid = part[1]
        table = document.add_table(rows=len(grid), cols=_width(grid))
        table.style = "Table Grid"
        for r, c, (text, rowspan, colspan) in _placements(grid):
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            cell.text = text
    document.save(str(path))
    return path


def write_pdf(spec: ReportSpec, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a standard CJK font: nothing to download
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=9, leading=13, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", parent=style, fontSize=6, leading=8)
    flow = []
    for part in _text_parts(spec):
        if isinstance(part, str):
            flow.append(Paragraph(part, style))
            continue
        grid = part[1]
        width = _width(grid)
        data = [["" for _ in range(width)] for _ in grid]
        commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                    ("FONTSIZE", (0, 0), (-1, -1), 6), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for r, c, (text, rowspan, colspan) in _placements(grid):
            data[r][c] = Paragraph(text, cell_style) if len(text) > 8 else text
            if rowspan > 1 or colspan > 1:
                commands.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        col_width = 480 / width
        flow.append(Table(data, colWidths=[col_width] * width, style=TableStyle(commands), repeatRows=0))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=50, rightMargin=50,
                      title=f"{spec.org}{spec.year}年政府信息公开工作年度报告").build(
        flow, onLaterPages=_page_number, onFirstPage=_page_number)
    return path


def _page_number(canvas, doc) -> None:
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(A4_WIDTH / 2, 30, f"- {doc.page} -")


A4_WIDTH = 595.27
