"""Tables read over the grid's cells (tables/_cells.py): values placed by grid column against the
header, merged group labels, blank cells, short rows, tables in pieces; `at` opens the document
text at the printed cell; a grid it cannot place with confidence is left to the text path."""

from __future__ import annotations

import html
import shutil
import subprocess

import pytest

from extractor.document import document_from_text, read_document, split_sections
from extractor.models import CellState
from extractor.parse import parse_document
from extractor.tables._cells import Refused, read_cells, read_single_cells
from extractor.tables._template import REVIEW_ROW, rows
from samples.office import table2_grid, table3_grid, table4_grid, write_docx
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields
from tests.document.test_at import assert_cells_at_their_print

Grid = list[list[tuple[str, int, int]]]


def _table(grid: Grid) -> str:
    def td(text: str, rowspan: int, colspan: int) -> str:
        spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
        return f"<td{spans}>{html.escape(text)}</td>"

    return "<table>" + "".join("<tr>" + "".join(td(*c) for c in row) + "</tr>" for row in grid) + "</table>"


def _report(spec: ReportSpec, t2: Grid | list[Grid], t3: Grid, t4: Grid | list[Grid]) -> str:
    pieces = lambda g: "".join(_table(p) for p in g) if g and isinstance(g[0][0], list) else _table(g)  # noqa: E731
    five = spec.section5.format(year=spec.year, next=spec.year + 1).split("\n")
    return ("<html><body>" + f"<p>{spec.org}{spec.year}年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本年度工作情况。</p>"
            f"<p>二、主动公开政府信息情况</p>{pieces(t2)}<p>三、收到和处理政府信息公开申请情况</p>{_table(t3)}"
            f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{pieces(t4)}<p>五、存在的主要问题及改进情况</p>"
            + "".join(f"<p>{p}</p>" for p in five) + f"<p>六、其他需要报告的事项</p><p>无。</p><p>{spec.org}</p>"
            "</body></html>")


def _spec(seed: int, version: str, blank_zeros: bool = True) -> ReportSpec:
    return ReportSpec(f"样例{seed}局", 2022 if version == "2021" else 2020, version, "html",
                      consistent_values(seed, version), SECTION5[0], blank_zeros=blank_zeros)


def _over_cells(read):
    """The cells' reading, None where the table was refused (left to the text path, with a reason)."""
    if isinstance(read, Refused):
        assert read.reason  # noqa: S101 - a refusal always says why
        return None
    return read


def _read(text: str, table: str, version: str):
    doc = document_from_text(text, "r.html")
    split = split_sections(doc.text)
    base, section = split.offsets[table], getattr(split.sections, table)
    if table == "review_litigation":
        return doc, _over_cells(read_single_cells(doc, base, base + len(section), REVIEW_ROW))
    return doc, _over_cells(read_cells(doc, base, base + len(section), rows(table, version)))


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_merged_cells_read_over_cells_exactly(version):
    spec = _spec(11, version)
    text = _report(spec, table2_grid(spec), table3_grid(spec), table4_grid(spec))
    for table in ("active_disclosure", "applications"):
        assert _read(text, table, version)[1] is not None, table  # read over cells, not the text
    assert _read(text, "review_litigation", version)[1] is not None
    doc = document_from_text(text, "r.html")
    result = parse_document(doc)
    assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)
    # every number read over cells opens the document text at its printed cell, in its grid place
    assert assert_cells_at_their_print(doc, result) == sum(v is not None for v in expected_fields(spec).values())


def test_blank_cell_stays_in_its_column_and_short_row_is_incomplete():
    spec = _spec(12, "2021", blank_zeros=False)
    t3 = table3_grid(spec)
    # （三）1.属于国家秘密: the group label merged down over 8 rows is printed on it
    row = next(r for r in t3 if any(c[0] == "1.属于国家秘密" for c in r))
    assert any(c[0] == "（三）不予公开" and c[1] == 8 for c in row)
    k = next(i for i, c in enumerate(row) if c[0] == "1.属于国家秘密")
    row[k + 2] = ("", 1, 1)  # its 商业企业 printed blank
    short = next(r for r in t3 if r[0][0] == "2.重复申请")
    del short[-3]  # a cell missing: the row is short, not shifted left
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    doc, read = _read(text, "applications", "2021")
    assert read is not None
    result = parse_document(doc)
    key = "applications.results.withheld.state_secret"
    assert result.cells[f"{key}.commercial_enterprise"].state == CellState.BLANK
    assert result.fields[f"{key}.natural_person"] == spec.values[f"{key}.natural_person"]
    assert result.fields[f"{key}.total"] == spec.values[f"{key}.total"]
    dup = "applications.results.not_processed.duplicate"
    assert {result.cells[f"{dup}.{c}"].state for c in ("natural_person", "total", "other_org")} <= {
        CellState.INCOMPLETE, CellState.DERIVED}
    wrong = [k for k, v in spec.values.items() if result.fields.get(k) is not None and result.fields[k] != v]
    assert wrong == []


def test_tables_in_pieces_are_joined_by_their_headers():
    """表二 as four tables (one per 第二十条 item), 表四 as three (one per group)."""
    spec = _spec(13, "2019", blank_zeros=False)
    t2 = table2_grid(spec)
    starts = [i for i, r in enumerate(t2) if r[0][0].startswith("第二十条")] + [len(t2)]
    t2_pieces = [t2[a:b] for a, b in zip(starts, starts[1:])]
    values = table4_grid(spec)[-1]
    results = [(r, 1, 1) for r in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    t4_pieces = [[[(group, 1, 5)], results, values[5 * g:5 * g + 5]]
                 for g, group in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"))]
    # 行政诉讼（未经复议直接起诉）: the group named in one cell
    t4_pieces[1][0] = [("未经复议直接起诉", 1, 5)]
    t4_pieces[2][0] = [("复议后起诉", 1, 5)]
    text = _report(spec, t2_pieces, table3_grid(spec), t4_pieces)
    assert _read(text, "active_disclosure", "2019")[1] is not None
    assert _read(text, "review_litigation", "2019")[1] is not None
    result = parse_document(document_from_text(text, "r.html"))
    assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)


def test_a_header_that_names_no_template_column_is_left_to_the_text_path():
    spec = _spec(14, "2021", blank_zeros=False)
    t3 = [[(c[0].replace("自然人", "个人").replace("商业企业", "企业"), c[1], c[2]) for c in r] for r in table3_grid(spec)]
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    assert _read(text, "applications", "2021")[1] is None
    result = parse_document(document_from_text(text, "r.html"))
    assert result.fields["applications.received_new.total"] == spec.values["applications.received_new.total"]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Word reports printed to PDF and saved as HTML by LibreOffice: in the PDF, rows broken by
    page breaks (a label's rest in the next row, or lost: `2.申请人` under （六）其他处理), blank
    rows with long labels, header words wrapped over header rows (`结果维` / `持`)."""
    folder = tmp_path_factory.mktemp("lo")
    specs = {}
    for i, version in enumerate(("2019", "2021")):
        spec = ReportSpec(f"样例{i}局", 2020 + 2 * i, version, "html", consistent_values(i, version), SECTION5[i],
                          blank_zeros=i == 0)
        specs[folder / f"r{i}.docx"] = spec
        write_docx(spec, folder / f"r{i}.docx")
        if i == 0:  # the title on two lines: the tables move down, and rows break at other places
            import docx

            document = docx.Document(str(folder / "r0.docx"))
            document.paragraphs[0].insert_paragraph_before(spec.org)
            document.paragraphs[1].text = document.paragraphs[1].text.removeprefix(spec.org)
            document.save(str(folder / "r0.docx"))
    for fmt in ("pdf", "html"):
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", fmt,
                        "--outdir", str(folder), *map(str, specs)], capture_output=True, timeout=300, check=False)
    return specs


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed: "
                    "apt-get install libreoffice-writer-nogui fonts-noto-cjk")
@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_office_tables_are_read_over_cells(office, fmt):
    """Every row of 表二 and 表三 and 表四's values read from the grid's cells (not the text),
    exact; each number's `at` opens the document text at its grid cell."""
    for path, spec in office.items():
        doc = read_document(path.with_suffix(f".{fmt}"))
        split = split_sections(doc.text)
        for table in ("active_disclosure", "applications"):
            base, text = split.offsets[table], getattr(split.sections, table)
            read = _over_cells(read_cells(doc, base, base + len(text), rows(table, spec.version)))
            assert read is not None and len(read.rows) == len(rows(table, spec.version)), (path.name, table)
        base, text = split.offsets["review_litigation"], split.sections.review_litigation
        assert _over_cells(read_single_cells(doc, base, base + len(text), REVIEW_ROW)) is not None, path.name
        result = parse_document(doc)
        assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)
        assert assert_cells_at_their_print(doc, result) == sum(v is not None for v in expected_fields(spec).values())


def test_a_numbered_sub_row_that_lost_its_words_is_found_under_its_merged_group():
    """`2.申请人` (the rest of its label broke onto the next page, outside the table) under
    （六）其他处理 merged down over its three rows: the group's item 2."""
    spec = _spec(15, "2021", blank_zeros=False)
    t3 = [[(("2.申请人", *c[1:]) if c[0].startswith("2.申请人逾期") else c) for c in r] for r in table3_grid(spec)]
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    doc, read = _read(text, "applications", "2021")
    assert read is not None and len(read.rows) == len(rows("applications", "2021"))
    result = parse_document(doc)
    fee = "applications.results.other.fee_unpaid_overdue"
    assert [result.fields[f"{fee}.{c}"] for c in ("natural_person", "total")] == [
        spec.values[f"{fee}.natural_person"], spec.values[f"{fee}.total"]]
    # the same label without its group printed above it is not guessed
    t3_alone = [[c if c[0] != "（六）其他处理" else ("", *c[1:]) for c in r] for r in t3]
    assert t3_alone != t3
    assert _read(_report(spec, table2_grid(spec), t3_alone, table4_grid(spec)), "applications", "2021")[1] is None


def test_rows_that_do_not_line_up_with_the_header_are_not_placed_by_position():
    """A group label whose rowspan was lost: the rows under it start one column left of the
    header's. Those rows are not read over cells (the text reads them: exactly seven values, in
    the template's order), the others are, and no number comes out wrong."""
    spec = _spec(16, "2019", blank_zeros=False)
    t3 = [[(c[0], 1 if c[0] == "（三）不予公开" else c[1], c[2]) for c in r] for r in table3_grid(spec)]
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    read = _read(text, "applications", "2019")[1]
    specs = rows("applications", "2019")
    left = {i for i, s in enumerate(specs) if s.label.startswith("（三）") and not s.label.endswith("国家秘密")}
    assert len(left) == 7 and set(read.rows) == set(range(len(specs))) - left
    result = parse_document(document_from_text(text, "r.html"))
    wrong = [k for k, v in spec.values.items() if result.fields.get(k) is not None and result.fields[k] != v]
    assert wrong == []


def test_a_piece_whose_header_names_no_column_is_not_read_under_the_header_before():
    """表二's 第二十条第（六）项 piece with a header of its own wording: its values are not placed
    under the columns of the piece above (（五）项's, the same words as the template's)."""
    spec = _spec(17, "2021", blank_zeros=False)
    t2 = table2_grid(spec)
    six = next(i for i, r in enumerate(t2) if r[0][0] == "第二十条第（六）项")
    t2[six + 1] = [("信息内容", 1, 1), ("本年决定件数", 1, 3)]
    assert _read(_report(spec, table2_grid(spec), table3_grid(spec), table4_grid(spec)), "active_disclosure",
                 "2021")[1] is not None
    assert _read(_report(spec, t2, table3_grid(spec), table4_grid(spec)), "active_disclosure", "2021")[1] is None


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_piece_drawn_with_other_columns_after_a_page_break_is_read_over_cells(tmp_path, version):
    """reportlab's PDF: 表三's first page draws one label column (its rows span all three), the
    next page three; the header's columns move with the piece's own grid."""
    from samples.office import write_pdf

    spec = _spec(1, version, blank_zeros=False)
    doc = read_document(write_pdf(spec, tmp_path / "r.pdf"))
    split = split_sections(doc.text)
    base, text = split.offsets["applications"], split.sections.applications
    widths = {max(c.col + c.colspan for row in t.rows for c in row) for t in doc.grid_tables(base, base + len(text))}
    assert len(widths) > 1  # the pieces' grids differ
    read = _over_cells(read_cells(doc, base, base + len(text), rows("applications", version)))
    assert read is not None and len(read.rows) == len(rows("applications", version))
    result = parse_document(doc)
    assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)


def test_a_piece_that_does_not_line_up_keeps_the_columns_it_had():
    from extractor.document import Cell
    from extractor.tables._pieces import realign

    columns = {f"c{k}": (1 + k,) for k in range(3)}

    def row(label: str, values: list[str], first: int, pad: int = 0) -> tuple[Cell, ...]:
        cells = [Cell(label, 0, 0, 1, 0, 0, colspan=first)]
        cells += [Cell(v, 0, 0, 1, 0, first + k) for k, v in enumerate(values + [""] * pad)]
        return tuple(cells)

    assert realign(columns, [row("规章", ["1", "2", "3"], 3)]) == {"c0": (3,), "c1": (4,), "c2": (5,)}
    assert realign(columns, [row("规章", ["1", "2", "3"], 3), row("规范性文件", ["4", "5", "6"], 2)]) is None
    assert realign(columns, [row("规章", ["", "2", "3"], 3, pad=1)]) is None  # a padding column: not moved


@pytest.mark.parametrize("footer", ["— 4 —", "第 3 页", "4/6"])
def test_page_furniture_inside_a_table_is_never_a_value(footer):
    spec = _spec(18, "2021", blank_zeros=False)
    t3 = table3_grid(spec)
    t3.insert(5, [(footer, 1, 10)])  # after 二、上年结转: no merged label spans over it
    assert t3[4][0][0].startswith("二、")
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    doc, read = _read(text, "applications", "2021")
    assert read is not None and len(read.rows) == len(rows("applications", "2021"))
    result = parse_document(doc)
    assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)
