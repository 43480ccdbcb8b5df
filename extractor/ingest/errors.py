"""The errors a reader raises (declared once, in extractor/errors.py)."""

from extractor.errors import LimitError, ReadError

__all__ = ["LimitError", "ReadError"]
