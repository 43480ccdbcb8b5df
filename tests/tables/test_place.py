"""Rows printed with their blank cells dropped: placements by definition, the joint search against
brute force, and a parse that places only what the identities leave one way (never a wrong
number, also when the report's own figures do not add up)."""

from __future__ import annotations

import itertools
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractor import parse_text
from extractor.models import CellState, WarningCode
from extractor.tables import undecided_cells
from extractor.tables._deduce import _local
from extractor.tables._place import placements, solve
from extractor.tables._template import identities, rows
from extractor.tables._values import parse_cell
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields

APPS = rows("applications", "2021")
APP_IDS = identities("applications", "2021")
ITEMS_ROW = rows("active_disclosure", "2019")[2]  # 行政许可: 上一年项目数量, 本年增/减, 处理决定数量


def _local_of(spec):
    return [(t, total) for _, t, total in _local(APP_IDS, spec.keys)]


def test_a_signed_value_can_only_be_the_change():
    assert placements(("-1",), ITEMS_ROW.kinds) == [("", "-1", "")]
    assert placements(("增3", "7"), ITEMS_ROW.kinds) == [("", "增3", "7")]
    assert len(placements(("5",), ITEMS_ROW.kinds)) == 3  # a count fits any column


def test_the_row_total_fixes_the_total_and_leaves_the_terms_open():
    spec = APPS[0]
    found = placements(("5", "3", "8"), spec.kinds, _local_of(spec))
    assert len(found) == 15  # 5 before 3 in two of the six applicant columns
    assert all(p[-1] == "8" and sorted(x for x in p[:-1] if x) == ["3", "5"] for p in found)
    assert placements(("5", "3", "9"), spec.kinds, _local_of(spec)) == []  # 5+3 is not 9 anywhere


def _brute_placements(items, kinds, local):
    out = []
    for cols in itertools.combinations(range(len(kinds)), len(items)):
        parts = [""] * len(kinds)
        for item, c in zip(items, cols):
            parts[c] = item
        cells = [parse_cell(p, k) for p, k in zip(parts, kinds)]
        if any(p and c.state not in (CellState.NUMBER, CellState.DASH, CellState.SLASH) for p, c in zip(parts, cells)):
            continue
        values = [c.value or 0 for c in cells]
        if all(abs(sum(values[t] for t in terms) - values[total]) < 1e-9 for terms, total in local):
            out.append(tuple(parts))
    return out


SPECS = (*APPS[:3], ITEMS_ROW, rows("review_litigation", "2019")[0])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPECS), st.lists(st.sampled_from(["0", "1", "2", "3", "5", "-1", "增2", "—", "/", "x"]),
                                        min_size=1, max_size=8))
def test_placements_are_exactly_those_the_definition_allows(spec, items):
    ids = identities("review_litigation", "2019") if spec.key == "review_litigation" else APP_IDS
    local = [(t, total) for _, t, total in _local(ids, spec.keys)]
    if len(items) > len(spec.keys):
        return
    assert placements(tuple(items), spec.kinds, local) == _brute_placements(items, spec.kinds, local)


def _values(spec, parts):
    return tuple(parse_cell(p, k).value or 0.0 for p, k in zip(parts, spec.kinds))


@st.composite
def short_tables(draw):
    """A consistent table 三 with a few rows printed short (their zeros dropped)."""
    seed = draw(st.integers(0, 10_000))
    values = consistent_values(seed, "2021")
    printed = [i for i, spec in enumerate(APPS) if any(values[k] for k in spec.keys)]
    assume(len(printed) >= 2)
    chosen = draw(st.lists(st.sampled_from(printed), min_size=2, max_size=3, unique=True))
    return values, sorted(chosen)


@settings(max_examples=40, deadline=None)
@given(short_tables())
def test_the_joint_search_keeps_exactly_the_combinations_brute_force_keeps(table):
    values, chosen = table
    specs = [APPS[i] for i in chosen]
    open_keys = {k for s in specs for k in s.keys}
    cands = []
    for spec in specs:
        printed = tuple(str(int(values[k])) for k in spec.keys if values[k])
        found = placements(printed, spec.kinds, _local_of(spec)) or []
        cands.append([_values(spec, p) for p in found])

    def known(key):
        return None if key in open_keys else float(values[key])

    joint = solve([(s.keys, c) for s, c in zip(specs, cands)], APP_IDS, known)
    used = joint.used
    brute = []
    for combo in itertools.product(*(range(len(c)) for c in cands)):
        got = {k: v for s, c, ci in zip(specs, cands, combo) for k, v in zip(s.keys, c[ci])}
        if all(abs(sum(got.get(k, values[k]) for k in i.terms) - sum(got.get(k, values[k]) for k in i.total)) < 1e-9
               for i in used):
            brute.append(combo)
    assert joint.solutions == len(brute)
    assert joint.live == [{b[r] for b in brute} for r in range(len(specs))]
    truth = tuple(next(ci for ci, c in enumerate(cands[r]) if c == tuple(float(values[k]) for k in s.keys))
                  for r, s in enumerate(specs))
    assert truth in brute  # the report's own reading always fits


def _spaces_dropped(i: int, version: str) -> tuple[ReportSpec, str]:
    spec = ReportSpec(f"样例{i}局", 2020 if version == "2019" else 2022, version, "spaces_dropped",
                      consistent_values(i, version), SECTION5[i % 2], blank_zeros=True)
    return spec, converted_markdown(spec, i)


def test_blanks_dropped_are_placed_only_one_way_and_never_wrong():
    placed = 0
    for i in range(12):
        spec, text = _spaces_dropped(i, "2021" if i % 2 else "2019")
        result = parse_text(text, "r.txt")
        expected = expected_fields(spec)
        for key, want in expected.items():
            got = result.fields.get(key)
            assert got is None or got == want, (i, key, got, want)
        for w in result.warnings:
            if w.code != WarningCode.CELLS_PLACED:
                continue
            placed += 1
            for key in w.keys:
                cell = result.cells[key]
                assert cell.split_by is not None and cell.split_from, key
                assert result.fields[key] == expected[key], key
                if cell.state == CellState.BLANK:
                    assert cell.at is None and result.fields[key] is None
        assert not undecided_cells(result) & {k for k, c in result.cells.items() if c.state == CellState.NUMBER}
    assert placed  # table 二's signed changes find their column


def _zeros_dropped(rows_: tuple[str, ...], seed: int = 8, bump: str | None = None) -> tuple[ReportSpec, str]:
    """A report whose zeros are printed, but in the rows labelled `rows_` they are dropped (as a
    converter drops blank cells); `bump`: a row label whose last printed number is printed one more."""
    spec = ReportSpec("样例局", 2020, "2019", "spaces_dropped", consistent_values(seed, "2019"), SECTION5[0])
    lines = converted_markdown(spec, seed).split("\n")
    for n, line in enumerate(lines):
        parts = line.split("  ")
        label = next((p for p in reversed(parts) if not p.isdigit()), "")
        if any(label.endswith(r) for r in rows_):
            lines[n] = "  ".join(p for p in parts if p != "0")
        if bump and label.endswith(bump):
            parts = lines[n].split("  ")
            parts[-1] = str(int(parts[-1]) + 1)
            lines[n] = "  ".join(parts)
    return spec, "\n".join(lines)


SHORT = ("本年新收政府信息公开申请数量", "（一）予以公开")


def test_the_column_totals_place_short_rows():
    spec, text = _zeros_dropped(SHORT)
    result = parse_text(text, "r.txt")
    keys = [k for r in (APPS[0], APPS[2]) for k in r.keys]
    assert any(result.cells[k].state == CellState.BLANK for k in keys)  # some zeros were dropped
    for key in keys:
        want = spec.values[key]
        assert result.fields[key] == (want or None), key  # a dropped 0 comes back blank, never a number
        assert result.cells[key].split_by, key
    assert sum(w.code == WarningCode.CELLS_PLACED for w in result.warnings) == 2
    assert not undecided_cells(result)


def test_figures_that_do_not_add_up_place_nothing():
    # 四、结转下年度 printed one more in its 总计: the report breaks its own identity, so nothing
    # is placed by identities, although a placement might still fit them
    _, text = _zeros_dropped(SHORT, bump="结转下年度继续办理")
    result = parse_text(text, "r.txt")
    for key in (*APPS[0].keys, *APPS[2].keys):
        assert result.fields.get(key) is None, key
        assert result.cells[key].state == CellState.INCOMPLETE
    warning = next(w for w in result.warnings if w.keys and w.keys[0] == APPS[0].keys[0])
    assert "not placed" in warning.message


def test_a_random_inconsistent_table_never_gets_a_wrong_placement():
    rnd = random.Random(7)
    for i in range(30):
        spec, text = _spaces_dropped(i * 2 + 1, "2021")
        lines = text.split("\n")
        # change one printed number in table 三: the report's own figures no longer add up
        t3 = [n for n, line in enumerate(lines) if "总计" in line or "公开" in line]
        n = rnd.choice(t3)
        parts = lines[n].split("  ")
        nums = [j for j, p in enumerate(parts) if p.isdigit()]
        if not nums:
            continue
        j = rnd.choice(nums)
        parts[j] = str(int(parts[j]) + 1)
        lines[n] = "  ".join(parts)
        result = parse_text("\n".join(lines), "r.txt")
        expected = expected_fields(spec)
        changed = {f"{k}" for k in expected if result.fields.get(k) is not None and result.fields.get(k) != expected[k]}
        # only the cell changed by hand may differ, and only if it was read as printed
        assert all(result.cells[k].split_by is None for k in changed), changed


def test_what_a_glued_row_decides_on_its_own():
    # `2648-18538` over 上一年项目数量 | 本年增/减 | 处理决定数量: only the change may carry the sign,
    # so 2648 is decided while the change and the decisions are not (r006's 行政处罚)
    from extractor.models import CellInfo, ParseResult, TemplateVersion
    spec = rows("active_disclosure", "2019")[4]
    result = ParseResult(source="x", ok=True)
    result.table_versions = {"active_disclosure": TemplateVersion.V2019}
    for key in spec.keys:
        result.fields[key] = None
        result.cells[key] = CellInfo("2648-18538", CellState.GLUED)
    assert undecided_cells(result) == set(spec.keys[1:])


def test_a_joint_search_past_its_caps_decides_nothing():
    # 40 rows of 12 candidates each under one identity summing them all: the residual states
    # grow past the caps, so the search stops and every candidate is left open
    from extractor.tables._template import Identity
    keys = [(f"t.r{i}.a",) for i in range(40)]
    ident = Identity("t.sum", tuple(k[0] for k in keys), ("t.total",), "Σ = total")
    rnd = random.Random(3)
    rows_ = [(k, [(float(rnd.randrange(10**6)),) for _ in range(12)]) for k in keys]
    half = sum(max(c[0] for c in cands) for _, cands in rows_) / 2  # a total most partial sums can still reach
    joint = solve(rows_, [ident], lambda key: half if key == "t.total" else None)
    assert joint.solutions is None
    assert all(live == set(range(12)) for live in joint.live)
