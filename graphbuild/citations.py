"""Run the citation finder over every narrative field of every record."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .records import ProjectRecord
from .refs import Reference, Rejection, find_all
from .refs.region import Region, infer

_SENTENCE_END = "。；;！？\n"
SNIPPET_MAX = 160


@dataclass
class Citation:
    """A reference found in one field of one project, with its provenance."""

    project_id: str
    field: str
    ref: Reference
    snippet: str
    source: str
    line: int
    page: int | None = None  # PDF input: the page the field is printed on


@dataclass
class Rejected:
    """A 〔yyyy〕-like span in a field that was not taken as a 文号."""

    project_id: str
    field: str
    rejection: Rejection
    snippet: str
    source: str
    line: int


def snippet(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], cut to SNIPPET_MAX characters."""
    left = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    rights = [i for c in _SENTENCE_END if (i := text.find(c, end)) != -1]
    right = min(rights) + 1 if rights else len(text)
    left = max(left, start - SNIPPET_MAX // 2)
    right = min(right, max(end, left + SNIPPET_MAX))
    return text[left:right].strip()


def regions(records: Iterable[ProjectRecord]) -> dict[str, Region]:
    """Each source's county and city, from its departments, units and narrative."""
    by_source: dict[str, list[ProjectRecord]] = {}
    for rec in records:
        by_source.setdefault(rec.source, []).append(rec)
    return {src: infer((n for r in recs for n in (r.dept_name, r.unit)),
                       (t for r in recs for t in r.fields.values() if t))
            for src, recs in by_source.items()}


def extract(records: Iterable[ProjectRecord]) -> tuple[list[Citation], list[Rejected]]:
    """Every citation and every rejected 〔yyyy〕 span, field by field; each source's own
    county and city codes (壶财预 in a 壶山 disclosure) resolve to them."""
    records = list(records)
    region = regions(records)
    cites: list[Citation] = []
    skipped: list[Rejected] = []
    for rec in records:
        for field, text in rec.fields.items():
            if not text:
                continue
            line = rec.field_lines.get(field, rec.line)
            refs, rejections = find_all(text, region[rec.source])  # one scan gives both
            for ref in refs:
                cites.append(Citation(rec.id, field, ref, snippet(text, ref.start, ref.end),
                                      rec.source, line, rec.field_pages.get(field, rec.page)))
            for rej in rejections:
                skipped.append(Rejected(rec.id, field, rej, snippet(text, rej.start, rej.end),
                                        rec.source, line))
    return cites, skipped
