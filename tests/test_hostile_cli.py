"""Issue 20 on the command line: `parse` and `classify` on hostile files (terminal escapes in
names and text; per-file limits; symlinks, unreadable folders). Bounded: each command has a
timeout, and no test talks to any network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.hostile import good_report

# OSC 52 (write the clipboard), clear screen and home, OSC 8 (a hidden link), a C1 CSI, a title
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
CLEAR = "\x1b[2J\x1b[H"
OSC8 = "\x1b]8;;http://127.0.0.1/\x1b\\点我\x1b]8;;\x1b\\"


def cli(*args, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, timeout=timeout,
                          env={**environ, "COLUMNS": "2000", **(env or {})})  # no wrapping


def test_readable_views_show_terminal_controls_escaped(tmp_path: Path):
    text = good_report(1).replace("一、总体情况", f"{OSC8} {CLEAR} 一、总体情况", 1)
    text = "\x1b]0;title\x07" + text.replace("五、存在的主要问题及改进情况\n",
                                              f"五、存在的主要问题及改进情况\n一是{OSC52}公开意识不强。\x9b2J\n", 1)
    (tmp_path / f"evil{OSC52}{CLEAR}.txt").write_text(text, encoding="utf-8")
    for command in ("parse", "classify"):
        proc = cli(command, tmp_path)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out
        assert not {0x1b, 0x07} & set(out), (command, out[:300])
        assert "\x9b" not in out.decode("utf-8")
        assert b"evil\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J\\x1b[H.txt" in out, command  # shown, escaped
    proc = cli("classify", tmp_path)
    assert b"\\x1b]52;c;SGVsbG8=\\x07" in proc.stdout  # the statement too
    # JSON keeps the text as it was (escaped by JSON itself)
    proc = cli("parse", "--json", tmp_path)
    assert json.loads(proc.stdout)["source"].endswith(f"evil{OSC52}{CLEAR}.txt")
