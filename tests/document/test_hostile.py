"""Hostile inputs end quickly, within memory, as a report or a one-line error; never a traceback."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import parse_file, parse_text
from extractor.document import source_bytes
from extractor.document._encoding import decode
from extractor.errors import ExtractorError, LimitError, ReadError
from samples.synth import ReportSpec, consistent_values, make_report
from tests.hostile import docx_bytes, good_report, write_hostile, write_special
from tests.work import assert_bounded, search_steps


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str | None]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_hostile(folder)


def test_every_hostile_file_ends_with_its_error_within_bounded_work(hostile):
    # Bounded by counts: each reader stops at its limit (the error names it) and the glued-cell search
    # stays within its step budgets. The time each file takes is measured by bench/bench_hostile_files.py.
    folder, expect = hostile
    for name, error in expect.items():
        with search_steps() as made:
            result = parse_file(folder / name)
        assert_bounded(made)
        if error is None:
            assert result.ok, f"{name}: {result.error}"
        else:
            assert not result.ok and error in result.error, f"{name}: {result.error}"
            assert "\n" not in result.error
    # nothing expanded: the 10^8 spans and the 210 MB bomb stayed small
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # kB: under 1 GB


def test_glued_rows_with_many_splits_stay_bounded_and_never_wrong():
    # Glued crawl text with numbers about ten times larger than usual: table 三's runs have many
    # splits each. Their searches stay within their budget, the joint search over residuals
    # (tables/_place.solve, bounded by its own caps: test_place.py) settles the rows that every
    # fitting combination agrees on, and the others stay glued: no number is wrong.
    big = {k: v * 11 if isinstance(v, int) and v >= 0 else v for k, v in consistent_values(5, "2021").items()}
    with search_steps() as made:
        result = parse_text(make_report(ReportSpec(layout="glued", values=big)), "big.txt")
    assert_bounded(made)
    wrong = [k for k, c in result.cells.items() if c.state == "number" and result.fields[k] != big[k]]
    assert not wrong and sum(c.state == "glued" for c in result.cells.values()) > 20


def test_glued_review_row_past_the_template_is_left_glued(hostile):
    folder, _ = hostile
    result = parse_file(folder / "glued_review_30.txt")
    assert {result.cells[k].state for k in result.cells if k.startswith("review_litigation.")} <= {"glued", "text",
                                                                                                   "incomplete"}


def test_special_files_and_non_utf8_names(tmp_path: Path):
    expect = write_special(tmp_path)
    result = parse_file(tmp_path / "pipe.txt")
    assert not result.ok and "a FIFO" in result.error
    (gbk,) = [p for p in tmp_path.iterdir() if p.name != "pipe.txt"]
    result = parse_file(gbk)
    # shown decoded, marked with its raw bytes (so no UTF-8 名 can share it), opened by its real name
    assert result.ok and result.source == f"{tmp_path}/年度报告.txt〔字节 {os.fsencode(gbk).hex()}〕"
    assert source_bytes(result.source) == os.fsencode(gbk)
    assert json.dumps(result.to_json_dict(), ensure_ascii=False)  # writable: no lone surrogates
    assert set(expect) == {"pipe.txt", f"年度报告.txt〔字节 {os.fsencode(gbk.name).hex()}〕"}


def test_wide_encodings_without_bom():
    text = good_report(3)
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32", "utf-16"):
        assert decode(text.encode(encoding))[0].lstrip("\ufeff") == text, encoding
    with pytest.raises(ReadError, match="binary"):
        decode(bytes(range(256)) * 20)


def test_one_error_hierarchy():
    # every project error is declared in extractor/errors.py, exported, documented, under one base
    import inspect

    import extractor
    from extractor import errors

    declared = {n for n, c in vars(errors).items() if inspect.isclass(c) and c.__module__ == "extractor.errors"}
    assert declared == set(errors.__all__)
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, ExtractorError) and cls.__doc__ and cls.__doc__.strip(), name
    assert issubclass(LimitError, ReadError)
    # and no module declares another one (pool.TaskTimeout and llm.client.ResponseTooLarge are not
    # errors: a worker's alarm and a transport read error, errors.py says why)
    root = Path(extractor.__file__).parent
    stray = [f"{p.relative_to(root)}: {line.strip()}" for p in root.rglob("*.py") if p.name != "errors.py"
             for line in p.read_text(encoding="utf-8").splitlines()
             if line.startswith("class ") and ("Error" in line.split("(")[0] or "Exception)" in line)
             and "TaskTimeout" not in line and "ResponseTooLarge" not in line]
    assert not stray, stray
    # the old places still give the names
    from extractor.errors import LLMError, PromptError, SearchBudget
    from extractor.evaluation import EvalError
    from extractor.review.llm import SettingsError

    assert (EvalError, SettingsError, LLMError, PromptError, SearchBudget) == (
        errors.EvalError, errors.SettingsError, errors.LLMError, errors.PromptError, errors.SearchBudget)


def test_parse_json_prints_a_line_for_a_broken_docx_and_the_good_file_after_it(tmp_path: Path):
    whole = docx_bytes("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>")
    (tmp_path / "a.docx").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "b.txt").write_text(good_report(4), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", str(tmp_path / "a.docx"),
                           str(tmp_path / "b.txt")], capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["ok"] for r in lines] == [False, True] and "Traceback" not in proc.stderr
    assert proc.returncode == 1


def test_hidden_html_is_not_report_text():
    from extractor.document._html import html_to_text

    html = ('<html><body><p>一、总体情况</p><div style="DISPLAY: none">隐藏一</div><template><p>隐藏二</p></template>'
            '<textarea>隐藏三</textarea><p hidden>隐藏四</p>可见<span style="visibility:hidden">隐藏五</span><b style="display:NoNe">隐藏八</b>'
            '<table><tr><td>1</td><td style="display:none">99</td><td>2</td></tr><tr hidden><td>隐藏六</td></tr>'
            '<tbody style="display: none"><tr><td>隐藏七</td></tr></tbody></table></body></html>')
    text = html_to_text(html)
    assert "隐藏" not in text and "99" not in text
    assert text.splitlines() == ["一、总体情况", "可见", "| 1 | 2 |"]
    assert html_to_text('<p>可见</p><b style="Display:NoNe">隐藏</b>') == "可见"  # the only hint, in mixed case


def test_hidden_html_cannot_plant_section_five():
    report = good_report(5, "html")
    planted = report.replace("五、存在的主要问题及改进情况", '<div style="display:none">五、存在的主要问题及改进情况'
                             '<p>一是隐藏的问题文字。</p></div>五、存在的主要问题及改进情况', 1)
    from extractor.parse import parse_text

    assert "隐藏" not in (parse_text(planted).sections.problems_improvements or "")
    assert parse_text(planted).sections.problems_improvements == parse_text(report).sections.problems_improvements


def test_docx_with_an_unresolved_entity_says_so(tmp_path: Path):
    from tests.hostile import entity_docx

    (tmp_path / "entity.docx").write_bytes(entity_docx())
    result = parse_file(tmp_path / "entity.docx")
    assert not result.ok and "unresolved XML entity &e;" in result.error
    assert "root:" not in result.error  # the external entity was never read


def test_scan_reports_says_what_it_passed_over(tmp_path: Path, monkeypatch):
    from extractor.document import scan_reports

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "a.txt").write_text(good_report(1), encoding="utf-8")
    (folder / "b.txt").write_text(good_report(2), encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(folder / "b.txt", folder / "inside.txt")
    os.symlink("/etc", folder / "etc")  # a symlinked folder is not entered
    real_scandir = os.scandir

    def scandir(path="."):  # as an unreadable folder behaves for a user other than root
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    scan = scan_reports(folder)
    assert [p.name for p in scan.paths] == ["b.txt", "inside.txt"]
    lines = [s.line() for s in scan.skipped]
    assert any("locked" in line and "无法读取的文件夹" in line and "Permission denied" in line for line in lines)
    assert any("passwd.txt" in line and "符号链接指向输入文件夹之外" in line for line in lines)
    assert len(lines) == 2
    assert [p.name for p in scan_reports(folder, follow_symlinks=True).paths] == ["b.txt", "inside.txt", "passwd.txt"]
