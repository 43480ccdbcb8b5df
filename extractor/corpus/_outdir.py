"""The output folder of a run: made, checked writable and locked for the run's length.

Two runs on one folder would interleave results.jsonl and replace each other's summaries, so
the second one stops at once with a clear error. The lock is a POSIX record lock (`lockf`) on
a file in the folder: the kernel releases it when the run's process ends, however it ends, and
unlike `flock` it is not shared with the worker processes the run forks. Every fault is an `OutputError` whose
message is one line.

`replace_file(path)` writes a file of the folder whole or not at all: a uniquely named temporary
file beside it, renamed into place (two writers never share a temporary name).

`clean_temporaries(path)` removes what a killed run left: `.NAME.*.tmp` files of the outputs
(the run holds the lock, so no other run is writing them).

Public API: `OutputFolder(path)` (a context manager), `replace_file(path)`, `clean_temporaries(path)`, `LOCK_NAME`.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from extractor.document import OUTPUT_MARK
from extractor.errors import OutputError

__all__ = ["LOCK_NAME", "OutputFolder", "clean_temporaries", "replace_file"]

LOCK_NAME = OUTPUT_MARK  # find_reports never reads a folder holding it as input


class OutputFolder:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> OutputFolder:
        p = self.path
        if p.exists() and not p.is_dir():
            raise OutputError(f"--out {p} is a file, not a folder")
        try:
            p.mkdir(parents=True, exist_ok=True)
            fd = os.open(p / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write to the output folder {p}: {exc.strerror or exc}") from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise OutputError(f"the output folder {p} is in use by another run (pid {holder}); "
                              "wait for it or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


def clean_temporaries(folder: Path) -> int:
    """Remove the temporary files a killed run left in its output folder (`.results.db.<pid>.tmp`,
    `.report.html.<pid>.tmp`, replace_file's `.results.jsonl.<random>.tmp` …); return how many.
    Call it only while holding the folder's lock."""
    removed = 0
    for p in folder.glob(".*.tmp"):
        try:
            if p.is_file() and not p.is_symlink():
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replace_file(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` when the block ends without an error."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
