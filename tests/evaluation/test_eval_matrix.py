"""`extractor eval` as a prompt regression people can put in CI (issue 23): a prompts × models
matrix run concurrently against the scripted server, arguments checked before any call, an
outage that exits non-zero and is refused as a baseline, one saved comparison artefact,
rescoring with no call, and the HTML checked in headless Chromium."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from tests.conftest import needs_shared
from tests.evaluation.test_eval_cli import run
from tests.llm_server import Reply, ScriptedServer, section_of

pytestmark = needs_shared


class Answers:
    """Answers v1 (quotes) and v3 (ids) for any section; model "m2" calls everything specific.
    Counts the requests in flight at once."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = self.peak = 0

    def __call__(self, body: dict) -> Reply:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                threading.Event().wait(self.delay)
            specific = body["model"] == "m2"
            user = body["messages"][1]["content"]
            if "[1]" in user or "with [n] where" in user:
                content = {"labels": [{"ids": [1], "kind": "problem", "themes": ["awareness"],
                                       "boilerplate": not specific}],
                           "substantive": "partial" if specific else "boilerplate", "reason": "t"}
            else:
                section = section_of(user)
                clause = re.split(r"[，,。；;：:\n]", section.strip())[0].strip() or section.strip()[:5]
                content = {"statements": [{"kind": "problem", "quote": clause, "themes": ["content"],
                                           "boilerplate": not specific}],
                           "substantive": "partial" if specific else "boilerplate", "reason": "t"}
            return Reply(json.dumps(content, ensure_ascii=False))
        finally:
            with self.lock:
                self.in_flight -= 1


MATRIX = ["--backend", "openai", "--prompt", "section5/v1", "--prompt", "section5/v3", "--model", "m1", "--model", "m2"]


def test_a_matrix_runs_concurrently_and_saves_one_artefact(tmp_path):
    answers = Answers(delay=0.2)
    with ScriptedServer([answers]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url)
        proc = run(["--json", "--no-tables", *MATRIX, "--llm-concurrency", "8"], tmp_path, **env)
        assert proc.returncode == 0, proc.stderr
        assert len(server.requests) == 4 * 42
    assert answers.peak == 8  # eight in flight over the whole matrix, never more
    s = json.loads(proc.stdout)
    cells = {(c["prompt_version"], c["model"]): c for c in s["cells"]}
    assert set(cells) == {("section5/v1", "m1"), ("section5/v1", "m2"), ("section5/v3", "m1"), ("section5/v3", "m2")}
    assert all(c["failed_reviews"] == 0 and len(c["prompt_sha"]) == 16 for c in cells.values())
    artefact = json.loads(Path(s["artefact"]["json"]).read_text(encoding="utf-8"))
    assert len(artefact["comparisons"]) == 6  # every two cells
    assert all("delta_ci95" in m for p in artefact["comparisons"] for m in p["metrics"].values())
    first = artefact["item_changes"][0]
    m1_m2 = [p for p in first["pairs"] if p["a"] == "section5/v1 × m1" and p["b"] == "section5/v1 × m2"][0]
    assert m1_m2["relabelled"][0]["changes"]["boilerplate"] == [True, False]
    html = Path(s["artefact"]["html"]).read_text(encoding="utf-8")
    assert "指标矩阵" in html and "<script" not in html and "http" not in html.split("<body>")[1]

    # rescoring the saved run sends nothing (no server at all now) and gives the same figures
    again = run(["--json", "--no-tables", "--rescore", s["run"]], tmp_path)
    assert again.returncode == 0, again.stderr
    assert [c["summary"]["statement_f1"] for c in json.loads(again.stdout)["cells"]] == \
           [c["summary"]["statement_f1"] for c in s["cells"]]


def test_every_argument_is_checked_before_the_first_call(tmp_path):
    with ScriptedServer([Answers()]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url)
        for bad in (["--prompt", "section5/v1", "--prompt", str(tmp_path / "missing.md")],
                    ["--prompt", "section5/v1", "--model", "m1", "--model", "m1"],
                    ["--prompt", "section5/v1", "--max-failed", "lots"],
                    ["--prompt", "section5/v1", "--fail-under", "section5.statement_f1=high"],
                    ["--prompt", "section5/v1", "--baseline", str(tmp_path)],
                    ["--prompt", "section5/v1", "--mode", "yaml"]):
            proc = run(["--no-tables", "--backend", "openai", *bad], tmp_path, **env)
            assert proc.returncode == 2, (bad, proc.stderr)
            assert proc.stderr.startswith("error:"), proc.stderr
        assert server.requests == []


def test_an_outage_exits_non_zero_and_is_no_baseline(tmp_path):
    with ScriptedServer([lambda body: (500, {"error": {"message": "down"}})]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url, EXTRACTOR_MAX_RETRIES="0")
        proc = run(["--json", "--no-tables", "--backend", "openai", "--prompt", "section5/v3"], tmp_path, **env)
    assert proc.returncode == 1, proc.stderr
    s = json.loads(proc.stdout)
    assert s["failed_reviews"] == 42 and s["accepted_as_baseline"] is False
    assert "超过允许的 0 条" in proc.stderr
    cell_run = s["cells"][0]["run"]
    with ScriptedServer([Answers()]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url)
        args = ["--json", "--no-tables", "--backend", "openai", "--prompt", "section5/v3", "--baseline", cell_run]
        refused = run(args, tmp_path, **env)
        assert refused.returncode == 2 and "not a baseline" in refused.stderr and server.requests == []
        allowed = run(args + ["--allow-failed-baseline"], tmp_path, **env)
        assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["comparison"]["baseline_run"] == cell_run
    tolerated = run(["--json", "--no-tables", "--rescore", s["run"], "--max-failed", "100%"], tmp_path)
    assert tolerated.returncode == 0


def test_the_comparison_page_in_headless_chromium(tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with ScriptedServer([Answers()]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url)
        proc = run(["--json", "--no-tables", *MATRIX, "--llm-concurrency", "4"], tmp_path, **env)
        assert proc.returncode == 0, proc.stderr
    html = Path(json.loads(proc.stdout)["artefact"]["html"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri())
        matrix = page.locator("#matrix")
        assert matrix.is_visible()
        assert matrix.locator("tr").count() == 5  # a header and four cells
        assert "section5/v3" in matrix.inner_text() and "m2" in matrix.inner_text()
        item = page.locator("details.item").first
        assert item.is_visible()
        diff = item.locator("table.diff").first
        assert diff.is_visible() and "标签改变" in diff.inner_text() and "套话" in diff.inner_text()
        shot = page.screenshot(path=str(tmp_path / "comparison.png"), full_page=False)
        browser.close()
    assert len(shot) > 10_000 and requests == [html.as_uri()]  # self-contained: nothing else loaded


def test_a_whole_section_answer_scores_a_low_statement_f1(tmp_path):
    def whole(body: dict) -> str:  # the section as one statement: recall alone used to call this 1.0
        section = section_of(body["messages"][1]["content"])
        return json.dumps({"statements": [{"kind": "problem", "quote": section.strip(), "themes": ["content"],
                                           "boilerplate": True}], "substantive": "boilerplate", "reason": "t"},
                          ensure_ascii=False)

    with ScriptedServer([whole]) as server:
        env = dict(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url)
        proc = run(["--json", "--no-tables", "--backend", "openai", "--prompt", "section5/v1"], tmp_path, **env)
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)["section5"]
    assert s["statement_f1"] < 0.1 and s["statement_recall"] < 0.1
