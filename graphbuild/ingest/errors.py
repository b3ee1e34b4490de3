"""The one error every reader raises."""
from __future__ import annotations


class ParseError(ValueError):
    """A file or table that cannot be read; the message names the file and place."""
