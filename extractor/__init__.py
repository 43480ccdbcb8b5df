"""extractor: numbers and self-assessment from 政府信息公开工作年度报告.

    >>> from extractor import parse_file
    >>> result = parse_file("report.html")
    >>> result.fields["applications.received_new.total"]

Public API: `parse_file`, `parse_text`, `parse_document` -> `ParseResult`; the errors they raise
(`extractor.errors`): `ExtractorError`, `ReadError`, `LimitError`, `OutputError`. The stages are
packages: `extractor.document` (files in, a typed document out), `extractor.tables` (the template
registry, tables, checks, status, indicators), `extractor.review` (section 五), `extractor.corpus`
(across reports), `extractor.outputs` (what a run writes), `extractor.batch` (the batch run),
`extractor.cli`, `extractor.service`, `extractor.evaluation`.
"""

from extractor.errors import ExtractorError, LimitError, OutputError, ReadError
from extractor.models import ParseResult
from extractor.parse import parse_document, parse_file, parse_text

__all__ = ["ExtractorError", "LimitError", "OutputError", "ParseResult", "ReadError", "parse_document", "parse_file",
           "parse_text"]
__version__ = "0.1.0"
