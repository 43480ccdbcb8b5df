"""Keys that follow content (issue 23): resume, cache, eval runs and the call log carry the hash
of the prompt's text, so editing a prompt file redoes exactly the reviews it gave."""

from __future__ import annotations

from pathlib import Path

from extractor.review._prompts import PROMPTS_DIR, load_prompt
from extractor.review.llm._calllog import log_path, query
from tests.batch.test_run import SAMPLES, lines, run_cli
from tests.llm_server import ScriptedServer
from tests.review.llm.test_cli_llm import _labels


def test_a_prompt_is_a_version_or_a_file_and_carries_its_text_hash(tmp_path):
    v3 = load_prompt("section5/v3")
    mine = tmp_path / "mine.md"
    mine.write_text((PROMPTS_DIR / "section5" / "v3.md").read_text(encoding="utf-8"), encoding="utf-8")
    own = load_prompt(str(mine))
    assert own.version == str(mine) and own.sha == v3.sha and own.numbered
    mine.write_text(mine.read_text(encoding="utf-8") + "\nOne more rule.\n", encoding="utf-8")
    assert load_prompt(str(mine)).sha != v3.sha


def test_editing_a_prompt_file_redoes_exactly_its_reviews(tmp_path):
    mine = tmp_path / "mine.md"
    mine.write_text((PROMPTS_DIR / "section5" / "v3.md").read_text(encoding="utf-8"), encoding="utf-8")
    out_mine, out_v3, cache = tmp_path / "out-mine", tmp_path / "out-v3", tmp_path / "cache"
    with ScriptedServer([_labels]) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(cache)}

        def run(out: Path, prompt: str) -> int:
            before = len(server.requests)
            proc = run_cli(SAMPLES, "--out", out, "--backend", "openai", "--prompt", prompt, "--jobs", "1",
                           env_extra=env)
            assert proc.returncode == 0, proc.stderr
            return len(server.requests) - before

        first = run(out_mine, str(mine))
        assert first == 4  # the four samples with a section 五
        assert run(out_v3, "section5/v3") == 0  # the same text as v3: served from the cache
        assert run(out_mine, str(mine)) == 0  # unchanged: nothing redone
        mine.write_text(mine.read_text(encoding="utf-8").replace("Answer with JSON only.", "Answer with JSON only!"),
                        encoding="utf-8")
        assert run(out_mine, str(mine)) == 4  # edited: every review of this prompt, again
        assert run(out_v3, "section5/v3") == 0  # the other run's reviews are not affected
    shas = {r["prompt_sha"] for r in query(log_path(cache), limit=None) if r["status"] == "ok"}
    assert len(shas) == 2 and load_prompt("section5/v3").sha in shas
    assert all(r["classify"]["ok"] for r in lines(out_mine))
