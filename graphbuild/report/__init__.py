"""Lineage reports a researcher can hand on: JSON (the canonical data), HTML, Markdown,
CSV and XLSX, for a document (its FORWARDS chain and who cites it) or a department (what
its projects rest on)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from .data import department_report, document_report
from .page import html_page
from .tables import csv_text, markdown, write_xlsx

FORMATS = ("html", "md", "csv", "json", "xlsx")
BINARY = ("xlsx",)

__all__ = ["FORMATS", "department_report", "document_report", "render", "write"]


def render(g: nx.MultiDiGraph, report: dict, fmt: str) -> str:
    """A text format (html, md, csv, json) as a string."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return markdown(report)
    if fmt == "csv":
        return csv_text(report)
    if fmt == "html":
        return html_page(g, report)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def write(g: nx.MultiDiGraph, report: dict, fmt: str, path: str | Path) -> Path:
    """Write a report to `path`; CSV gets a UTF-8 BOM so Excel reads the Chinese."""
    path = Path(path)
    if fmt == "xlsx":
        write_xlsx(report, path)
    else:
        path.write_text(render(g, report, fmt), newline="",
                        encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return path
