"""Text from reports made safe for the places it is written to.

- `spreadsheet_cell`: a string cell that starts with = + - @, a tab or a carriage return is a
  live formula when Excel or LibreOffice opens the CSV or workbook (OWASP "CSV injection"):
  prefix it with an apostrophe. Numbers stay numbers.
- `show_controls`: bidirectional overrides and other invisible format characters can make a
  line of the review page read differently from what the file says (Trojan Source); show them
  as visible ⟨U+202E⟩ marks. html.escape does not touch them.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# bidi embeddings/overrides/isolates, marks, and other zero-width format characters
_CONTROLS = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def spreadsheet_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def show_controls(text: str) -> str:
    return _CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
