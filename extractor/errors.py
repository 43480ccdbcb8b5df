"""The project's own errors: one base class, so a caller can catch everything the library
raises on purpose with `except ExtractorError`. Each message is one line and names the cause.

- `ReadError`: a file that cannot be read as a report (`parse_file` turns it into `ok: false`);
- `LimitError`: a `ReadError` for a file that expands past one of `limits.py`'s limits;
- `OutputError`: an output folder that cannot be used (locked by another run, not writable);
- `SettingsError` (llm/settings.py), `PromptError` (narrative/prompts.py), `LLMError`
  (llm/client.py) and `EvalError` (evaluation/harness.py) subclass it where they are declared.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base of every error the project raises on purpose."""


class ReadError(ExtractorError):
    """A file that cannot be read. The message is one line and names the cause."""


class LimitError(ReadError):
    """A file that expands past a limit (limits.py): the message names the limit."""


class OutputError(ExtractorError):
    """An output folder that cannot be used."""
