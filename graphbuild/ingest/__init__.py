"""Readers that turn disclosures into ProjectRecords."""
from .text import ParseError, parse_text, read_text

__all__ = ["ParseError", "parse_text", "read_text"]
