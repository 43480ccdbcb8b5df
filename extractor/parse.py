"""One report from file to ParseResult: read, split into sections, read the tables, check.

Public API: `parse_file(path)`, `parse_document(doc)`, `parse_text(text, source)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from extractor.crosscheck import section_checks
from extractor.ingest import (
    Document,
    ReadError,
    display_path,
    document_from_text,
    read_document,
)
from extractor.meta import read_meta
from extractor.models import Finding, ParseResult, TemplateVersion, WarningCode
from extractor.sections import split_sections
from extractor.tables import read_tables

__all__ = ["internal_error", "parse_document", "parse_file", "parse_text"]


MIN_HEADINGS_WITHOUT_TABLES = 3  # fewer headings than this, none of them 一, and no table value: not a report


def parse_document(doc: Document) -> ParseResult:
    split = split_sections(doc.text)
    meta = read_meta(doc.text, doc.title_hint)
    if not any(split.found.values()):
        reason = "pre-2019 report format" if any(w.code == WarningCode.OLD_FORMAT for w in split.warnings) else \
            "no report found: none of the six section headings (一、总体情况 … 六、其他需要报告的事项)"
        return ParseResult.failure(doc.source, reason)
    tables = read_tables(split.sections, meta.year, doc, split.offsets)
    found = sum(1 for v in split.found.values() if v)
    if found < MIN_HEADINGS_WITHOUT_TABLES and not split.found.get("overview") \
            and all(v is None for v in tables.fields.values()):
        # a note, a manifest or a web page that names a heading or two in passing (a stray
        # MANIFEST.md quoting 四、… and 五、…): no table value, no 一、总体情况, hardly any heading
        return ParseResult.failure(doc.source, f"no report found: only {found} of the six section headings "
                                               "and no table values")
    versions = {v for v in tables.table_versions.values() if v}
    template: TemplateVersion | Literal["mixed"] | None = (
        None if not versions else versions.pop() if len(versions) == 1 else "mixed")
    warnings = list(split.warnings)
    if meta.year is None:
        warnings.append(Finding(code=WarningCode.YEAR_MISSING, message="reporting year not found in the title"))
    elif not meta.year_from_title:
        warnings.append(Finding(code=WarningCode.YEAR_NOT_IN_TITLE, message=f"year {meta.year} read from the statistics period"))
    result = ParseResult(
        source=doc.source,
        title=meta.title,
        org_name=meta.org_name,
        year=meta.year,
        template=template,
        table_versions=tables.table_versions,
        fields=tables.fields,
        cells=tables.cells,
        units=tables.units,
        checks=tables.checks,
        warnings=warnings + tables.warnings,
        extras=tables.extras,
        sections=split.sections,
        source_format=doc.format,
        section_offsets=split.offsets,
    )
    if doc.ocr:  # cells OCR read carry their confidence and box; unsure numbers are not numbers
        from extractor.ocr.mark import mark_ocr

        mark_ocr(result, doc.ocr)
    result.checks += section_checks(result)
    return result


def parse_file(path: str | Path, source: str | None = None) -> ParseResult:
    """Parse one file. Never raises for bad input: the result has ok=False and a one-line error."""
    source = source if source is not None else display_path(path)
    try:
        return parse_document(read_document(path, source))
    except ReadError as exc:
        return ParseResult.failure(source, str(exc))
    except MemoryError:  # the real cause, named: not the library's symptom
        kind = {".pdf": "the PDF", ".docx": "the DOCX"}.get(Path(path).suffix.lower(), "this file")
        return ParseResult.failure(source, f"ran out of memory reading {kind} (读取时内存不足)")
    except RecursionError:
        return ParseResult.failure(source, "nested too deeply to read")
    except Exception as exc:  # a library's exception or our bug: one line, and the batch goes on
        return ParseResult.failure(source, internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """An unexpected exception as one line: its type, message and where it was raised."""
    import traceback  # only when something went wrong: it costs 1 ms of start-up

    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    message = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}: {message}"[:240] + where


def parse_text(text: str, source: str = "<text>") -> ParseResult:
    return parse_document(document_from_text(text, source))
