"""Every command and every option of the CLI is documented in the README (as sqlite-utils'
test_docs does): `extractor --help` and each command's `--help` give the commands and their
`--options`, and each must appear in README.md."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
_ROW = re.compile(r"^│\s+(\S+)\s")
_OPTION = re.compile(r"^│\s+(?:\*\s+)?(?:-\w\s+)?(--[a-z][\w-]*)(?:\s*/\s*(--[a-z][\w-]*))?")


@cache
def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


def _panel(text: str, *titles: str) -> list[str]:
    """The rows of a help panel (`╭─ 命令 ─…`; English titles where the help is not localised),
    up to its bottom edge."""
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("╭─") and any(f" {title} " in line for title in titles):
            inside = True
        elif line.startswith("╰"):
            inside = False
        elif inside:
            rows.append(line)
    return rows


def _commands(path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for row in _panel(_help(path), "命令", "Commands"):
        if m := _ROW.match(row):
            sub = (*path, m.group(1))
            found.append(sub)
            found += _commands(sub)
    return found


COMMANDS = _commands()


def _options(path: tuple[str, ...]) -> list[str]:
    found = []
    for row in _panel(_help(path), "选项", "Options", "参数", "Arguments"):
        if m := _OPTION.match(row):
            found += [o for o in m.groups() if o]
    return sorted(set(found) - {"--help"})


def test_the_help_is_read():
    assert {("parse",), ("run",), ("serve",), ("users", "add"), ("gold",)} <= set(COMMANDS)
    assert "--out" in _options(("run",)) and "--json" in _options(("parse",))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_is_documented(command):
    assert re.search(r"extractor " + re.escape(" ".join(command)) + r"(?![\w-])", README), \
        f"`extractor {' '.join(command)}` is not in README.md"


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "extractor")
def test_options_are_documented(command):
    missing = [o for o in _options(command) if not re.search(re.escape(o) + r"(?![\w-])", README)]
    assert not missing, f"extractor {' '.join(command)}: {missing} not in README.md"
