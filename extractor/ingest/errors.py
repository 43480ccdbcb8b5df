"""The one error a reader raises: a file that cannot be read as a report."""


class ReadError(Exception):
    """A file that cannot be read. The message is one line and names the cause."""
