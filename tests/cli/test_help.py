"""Every --help is in Chinese, with an example for the command and for each option (issue 21)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

COMMANDS = ["", "parse", "classify", "eval", "compare", "codebook", "run"]
_ENGLISH = re.compile(r"[A-Za-z]{3,} [a-z]{2,} [a-z]{3,}")  # three English words in a row


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_chinese_with_examples(command: str):
    args = [sys.executable, "-m", "extractor", *([command] if command else []), "--help"]
    env = {**os.environ, "COLUMNS": "400", "TERMINAL_WIDTH": "400"}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    head, _, table = text.partition("╭")
    assert re.search(r"[\u4e00-\u9fff]", head) and "例：" in head  # the command: Chinese, with an example
    options = [line for line in table.splitlines() if re.match(r"│\s*\*?\s*(--|[a-z_]+(\.\.\.)?\s+<)", line)]
    assert options
    for line in options:  # every option and argument: Chinese, with an example
        assert re.search(r"[\u4e00-\u9fff]", line) and "例：" in line, line
    for line in text.splitlines():
        assert not _ENGLISH.search(line), line
