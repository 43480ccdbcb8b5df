"""extractor: numbers and self-assessment from 政府信息公开工作年度报告.

    >>> from extractor import parse_file
    >>> result = parse_file("report.html")
    >>> result.fields["applications.received_new.total"]
"""

from extractor.errors import ExtractorError, LimitError, OutputError, ReadError
from extractor.models import ParseResult
from extractor.parse import parse_document, parse_file, parse_text

__all__ = ["ExtractorError", "LimitError", "OutputError", "ParseResult", "ReadError", "parse_document", "parse_file",
           "parse_text"]
__version__ = "0.1.0"
