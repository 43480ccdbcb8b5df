"""Issue 20 on the command line: `parse` and `classify` on hostile files (terminal escapes in
names and text; per-file limits; symlinks, unreadable folders). Bounded: each command has a
timeout, and no test talks to any network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.hostile import SYMLINK_OUT, empty_runs_docx, good_report, write_hostile, write_hostile_20, write_special

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


def _limit_process(megabytes: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    return apply


def test_parse_bounds_each_file_and_names_the_cause(tmp_path: Path):
    (tmp_path / "a_good.txt").write_text(good_report(1), encoding="utf-8")
    (tmp_path / "b_runs.docx").write_bytes(empty_runs_docx())
    (tmp_path / "c_good.txt").write_text(good_report(3), encoding="utf-8")
    # the whole command under 2 GB, as in the issue: it printed no line at all
    proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", "--worker-memory", "700", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, preexec_fn=_limit_process(2048))
    results = {Path(r["source"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
    assert list(results) == ["a_good.txt", "b_runs.docx", "c_good.txt"], proc.stderr
    assert results["a_good.txt"]["ok"] and results["c_good.txt"]["ok"]
    assert "ran out of memory reading the DOCX" in results["b_runs.docx"]["error"]
    assert "XMLSyntaxError" not in results["b_runs.docx"]["error"]
    assert proc.returncode == 1
    # one file: bounded in this process, the same line
    proc = cli("parse", "--json", tmp_path / "b_runs.docx", env={"EXTRACTOR_WORKER_MEMORY": "700"})
    assert "ran out of memory reading the DOCX" in json.loads(proc.stdout)["error"]


def _slow_on_b(path: Path, source: str):
    import time

    from extractor.parse import parse_file

    if path.name.startswith("b"):
        time.sleep(30)  # a file that never ends, as a parser stuck on it would
    return parse_file(path, source)


def _crash_on_b(path: Path, source: str):
    from extractor.parse import parse_file

    if path.name.startswith("b"):
        os.abort()  # a library that crashes on the file
    return parse_file(path, source)


def test_a_file_past_its_time_or_crashing_its_worker_gets_its_line(tmp_path: Path):
    from extractor.cli._emit import FileLimits, bounded_results

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(good_report(len(name)), encoding="utf-8")
    inputs = [(tmp_path / n, n) for n in ("a.txt", "b.txt", "c.txt")]
    results = list(bounded_results(inputs, _slow_on_b, FileLimits(seconds=1.0)))
    assert [r.ok for r in results] == [True, False, True] and "took longer than 1 s" in results[1].error
    results = list(bounded_results(inputs, _crash_on_b, FileLimits()))
    assert [r.ok for r in results] == [True, False, True] and "SIGABRT" in results[1].error
    (single,) = bounded_results(inputs[1:2], _slow_on_b, FileLimits(0.5, None))  # in this process
    assert not single.ok and "took longer than 0.5 s" in single.error


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text(good_report(1), encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(good_report(2), encoding="utf-8")  # a report, so that following it would read it
    os.symlink(secret, src / "sub" / "outside.txt")
    os.symlink("/proc/self/environ", src / "environ.txt")
    os.symlink(src / "good.txt", src / "inside.txt")
    proc = cli("parse", "--json", src)
    assert sorted(Path(r["source"]).name for r in map(json.loads, proc.stdout.splitlines())) == ["good.txt", "inside.txt"]
    err = proc.stderr.decode()
    assert "outside.txt" in err and "environ.txt" in err and "符号链接指向输入文件夹之外" in err
    proc = cli("run", src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    sources = [json.loads(line)["source"] for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(sources) == ["good.txt", "inside.txt"]
    assert "outside.txt" in proc.stderr.decode() and "environ.txt" in proc.stderr.decode()
    assert b"PATH=" not in b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    proc = cli("parse", "--json", "--follow-symlinks", src)
    assert len(proc.stdout.splitlines()) == 4


def test_parse_on_every_hostile_file_prints_one_line_each(tmp_path: Path):
    """The issue's figure, small: every hostile file of both rounds and some good reports; each
    file gets its line, with its expected error; the symlink out of the folder a line on stderr."""
    src = tmp_path / "in"
    from extractor.document import source_bytes

    expect = {source_bytes(name): error for name, error in write_hostile(src).items()}
    expect.update({source_bytes(name): error for name, error in write_special(src).items()})
    expect.update(write_hostile_20(src))
    for i in range(10):
        (src / f"good{i:02d}.txt").write_text(good_report(i), encoding="utf-8")
        expect[f"good{i:02d}.txt".encode()] = None
    proc = cli("parse", "--json", src, timeout=300)
    root = os.fsencode(src) + b"/"
    got = {source_bytes(r["source"]).removeprefix(root): r for r in map(json.loads, proc.stdout.splitlines())}
    assert len(got) == len(proc.stdout.splitlines()) == len(expect), proc.stderr[-2000:]
    for name, error in expect.items():
        r = got[name]
        assert (r["ok"], error is None or error in (r["error"] or "")) == (error is None, True), (name, r["error"])
    assert SYMLINK_OUT.encode() in proc.stderr and b"Traceback" not in proc.stderr
    assert proc.returncode == 1


def test_an_unreadable_subfolder_is_a_line_in_runs_summary(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from extractor.cli import app

    src, out = tmp_path / "in", tmp_path / "out"
    (src / "locked").mkdir(parents=True)
    (src / "locked" / "a.txt").write_text(good_report(1), encoding="utf-8")
    (src / "b.txt").write_text(good_report(2), encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads every folder: this is how one it cannot list behaves
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.delenv("EXTRACTOR_BACKEND", raising=False)
    result = CliRunner().invoke(app, ["run", str(src), "--out", str(out), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "locked" in result.stderr and "无法读取的文件夹" in result.stderr and "Permission denied" in result.stderr
    assert [json.loads(line)["source"] for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()] \
        == ["b.txt"]
