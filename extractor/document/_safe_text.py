"""Text from reports made safe for the places it is written to.

- `spreadsheet_cell`: a string cell that starts with = + - @, a tab or a carriage return is a
  live formula when Excel or LibreOffice opens the CSV or workbook (OWASP "CSV injection"):
  prefix it with an apostrophe. Numbers stay numbers.
- `show_controls`: bidirectional overrides and other invisible format characters can make a
  line of the review page read differently from what the file says (Trojan Source); show them
  as visible ⟨U+202E⟩ marks. html.escape does not touch them.
- `terminal_text`: a name or text printed on a terminal with its control characters (ESC, BEL,
  CR, backspace, C1 …) shown as \\x1b, so that a file cannot write the clipboard (OSC 52), clear
  the screen or plant a link (OSC 8) when its result is shown; bidi controls as in show_controls.
"""

from __future__ import annotations

import re

from extractor.lazy import lazy_pattern

__all__ = ["show_controls", "spreadsheet_cell", "terminal_text"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# bidi embeddings/overrides/isolates, marks, and other zero-width format characters
_CONTROLS = lazy_pattern("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


# C0 controls but tab, DEL, C1 controls; newlines too where one line is printed
_TERMINAL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_TERMINAL_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str, lines: bool = False) -> str:
    """`text` safe to print on a terminal; `lines`: its newlines are kept."""
    pattern = _TERMINAL_LINES if lines else _TERMINAL
    return show_controls(pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def spreadsheet_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def show_controls(text: str) -> str:
    return _CONTROLS().sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
