"""Old Word `.doc` reports, which older years often are, read in `run` through LibreOffice.

The file is copied into a private temporary folder and converted there with
`soffice --headless --convert-to docx` (its own profile, so parallel workers do not share one;
a time limit; killed with the worker if the worker dies), then read as the DOCX it became. Where
LibreOffice is not installed the file gets a one-line error saying so, and the run summary
counts it as skipped (outputs.py looks for the word LibreOffice in the error).

Public API: `parse_doc(path, source)`, `soffice()`.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractor.limits import DOC_CONVERT_SECONDS, MB
from extractor.models import ParseResult
from extractor.parse import parse_file

__all__ = ["parse_doc", "soffice"]

_SOFFICE_MEMORY = 2048 * MB  # address space for LibreOffice (it maps ~1 GB to start)
NOT_INSTALLED = ("old Word .doc file not read: LibreOffice (soffice) is not installed to convert it; "
                 "install it or save the report as .docx or PDF")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _limits() -> None:  # in the child, before exec
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = _SOFFICE_MEMORY if hard == resource.RLIM_INFINITY else min(_SOFFICE_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    try:  # die with the worker that started it (a worker past its time limit is killed)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def parse_doc(path: Path, source: str, seconds: float = DOC_CONVERT_SECONDS) -> ParseResult:
    exe = soffice()
    if exe is None:
        return ParseResult.failure(source, NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="extractor-doc-") as tmp:
        work = Path(tmp)
        copy = work / "report.doc"  # a plain name: the original may hold any bytes
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            return ParseResult.failure(source, f"cannot read {path.name}: {exc.strerror or exc}")
        cmd = [exe, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={(work / 'profile').as_uri()}",
               "--convert-to", "docx", "--outdir", str(work / "out"), str(copy)]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True, preexec_fn=_limits, cwd=tmp)
        except OSError as exc:
            return ParseResult.failure(source, f"old Word .doc file not read: LibreOffice could not start ({exc})")
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return ParseResult.failure(source, f"old Word .doc file not read: LibreOffice took longer than "
                                               f"{seconds:.0f} s to convert it")
        converted = work / "out" / "report.docx"
        if not converted.is_file():
            return ParseResult.failure(source, "old Word .doc file not read: LibreOffice could not convert it "
                                               "(damaged, protected or not a Word file)")
        return parse_file(converted, source)
