"""A text as HTML with every document reference marked.

``annotate(text)`` escapes the text (html.escape) and wraps each reference in
``<mark class="ref" data-key="…" title="…">…</mark>``. References nested in another
(the 《A》 inside 关于印发《A》的通知（N号）) become nested marks; a reference that crosses
the boundary of one already open is left unmarked, so the outer reference wins and the
HTML stays well formed.
"""
from __future__ import annotations

from html import escape
from typing import Iterable

from .refs import Reference, find_refs


def _open(ref: Reference) -> str:
    return (f'<mark class="ref" data-key="{escape(ref.key)}" '
            f'title="{escape(ref.title or ref.doc_no or ref.key)}">')


def annotate(text: str, refs: Iterable[Reference] | None = None) -> str:
    """``text`` as escaped HTML, each reference (default: ``find_refs(text)``) marked."""
    refs = find_refs(text) if refs is None else refs
    out: list[str] = []
    open_ends: list[int] = []  # ends of the marks open now, innermost last
    pos = 0

    def close() -> None:
        nonlocal pos
        end = open_ends.pop()
        out.append(escape(text[pos:end]) + "</mark>")
        pos = end

    for ref in sorted(refs, key=lambda r: (r.start, -r.end)):
        if not 0 <= ref.start < ref.end <= len(text):
            continue
        while open_ends and open_ends[-1] <= ref.start:
            close()
        if open_ends and ref.end > open_ends[-1]:
            continue  # crosses an open mark
        out.append(escape(text[pos:ref.start]) + _open(ref))
        pos = ref.start
        open_ends.append(ref.end)
    while open_ends:
        close()
    out.append(escape(text[pos:]))
    return "".join(out)
