"""Readers that turn disclosures into ProjectRecords."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..records import ProjectRecord
from .pdf import is_pdf, read_pdf
from .text import ParseError, parse_text, read_text

__all__ = ["ParseError", "is_pdf", "parse_text", "read_file", "read_pdf", "read_text"]


def read_file(path: str | Path, on_page: Callable[[int], None] = lambda _n: None,
              problems: list[str] | None = None, workers: int | None = None
              ) -> list[ProjectRecord]:
    """Records of a PDF (known by its %PDF magic, whatever its name) or a text dump.

    A file named .pdf that is no PDF is an error, not a text dump. With a `problems` list,
    a table (of a dump or a PDF) that cannot be read adds its one-line message there and
    the others are still read; without one it raises. `workers`: processes that read a
    PDF's pages (read_pdf's default when None).
    """
    if is_pdf(path):
        return read_pdf(path, on_page, workers=workers, problems=problems)
    if Path(path).suffix.lower() == ".pdf":
        return read_pdf(path)  # names what the file is instead
    records = read_text(path, problems)
    on_page(1)
    return records
