"""机关代字 → issuing authority and level (中央/省/市/县/乡镇/unknown).

The table lives in graphbuild/data/issuers.tsv; the longest matching prefix wins. A
code whose row says ``unknown`` (室字, 厅字 …) gets a level only from an issuer the text
names; otherwise it stays ``unknown`` — a guess is never presented as fact.

Document keys of ambiguous codes (basis ``ambiguous``: 厅字, 室字, 党组 … are used by
many issuers, so the number alone names no document) carry the issuer:

- ``<first issuer the text names> <文号>``: ``中共山西省委办公厅 厅字〔2021〕30号``;
- ``ambiguous:<文号>`` when the text names no issuer: ``ambiguous:室字〔2023〕7号``.

Every other 文号 is its own key.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .models import Reference

UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous:"
_TSV = Path(__file__).resolve().parent.parent / "data" / "issuers.tsv"

# Issuer-name markers, most specific first: (marker, level).
_ISSUER_LEVELS = (
    ("襄垣", "县"),
    ("长治", "市"),
    ("山西", "省"),
    ("北京", "省"),
    ("中共中央", "中央"),
    ("国务院", "中央"),
    ("中华人民共和国", "中央"),
)


@dataclass(frozen=True)
class Issuer:
    """One row of issuers.tsv."""

    prefix: str
    authority: str | None
    level: str
    region: str | None
    basis: str


@lru_cache(maxsize=1)
def table() -> dict[str, Issuer]:
    """The prefix table, keyed by prefix."""
    text = _TSV.read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {
        row["prefix"]: Issuer(
            row["prefix"], row["authority"] or None, row["level"], row["region"] or None, row["basis"]
        )
        for row in csv.DictReader(lines, delimiter="\t")
    }


@lru_cache(maxsize=1)
def prefixes() -> tuple[str, ...]:
    """All prefixes, longest first."""
    return tuple(sorted(table(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _authority_levels() -> dict[str, str]:
    return {row.authority: row.level for row in table().values() if row.authority}


@lru_cache(maxsize=4096)
def lookup(code: str) -> Issuer | None:
    """The row whose prefix is the longest prefix of ``code``."""
    for prefix in prefixes():
        if code.startswith(prefix):
            return table()[prefix]
    return None


def is_ambiguous(code: str | None) -> bool:
    """Whether the 代字 is shared by several issuers (厅字, 室字 …)."""
    row = lookup(code) if code else None
    return row is not None and row.basis == "ambiguous"


def doc_key(doc_no: str, code: str, issuers: list[str] | tuple[str, ...]) -> str:
    """Document key of a 文号 (see the module docstring)."""
    if not is_ambiguous(code):
        return doc_no
    return f"{issuers[0]} {doc_no}" if issuers else AMBIGUOUS + doc_no


def level_from_issuers(issuers: Iterable[str]) -> str:
    """Level implied by issuer names the text states, or ``unknown``."""
    known = _authority_levels()
    levels = {
        known.get(name) or next((lvl for marker, lvl in _ISSUER_LEVELS if marker in name), UNKNOWN)
        for name in issuers
    }
    levels.discard(UNKNOWN)
    # Several issuers at different levels (a joint notice) do not settle one level.
    return levels.pop() if len(levels) == 1 else UNKNOWN


def level_from_title(title: str) -> str:
    """Level of the authority a title begins with ("襄垣县交通运输局…办法" → 县), or unknown."""
    head = title.removeprefix("中共")
    return next((level for marker, level in _ISSUER_LEVELS if head.startswith(marker)), UNKNOWN)


def level_of(code: str, issuers: list[str] | tuple[str, ...] = ()) -> str:
    """Level of a 代字; for ambiguous or unlisted codes, taken from stated issuers."""
    row = lookup(code)
    if row is not None and row.level != UNKNOWN:
        return row.level
    return level_from_issuers(issuers)


def authority_of(code: str) -> str | None:
    """Authority the 代字 prefix names, or None when the code does not tell."""
    row = lookup(code)
    return row.authority if row else None


def implied_authority(ref: Reference) -> tuple[str, str] | None:
    """(authority, how it was inferred) a Reference's number names without the text saying so:
    a decree number (国务院令第712号 → 国务院) or a 代字 (晋财教 → 山西省财政厅)."""
    if ref.kind == "令" and ref.doc_no:
        return ref.doc_no.partition("令第")[0], "inferred from decree number"
    if ref.code and (name := authority_of(ref.code)):
        return name, "inferred from 代字"
    return None


def document_level(ref: Reference) -> str:
    """Level of the document a Reference names: from its 代字, its stated issuers, the
    authority its number implies, or the authority its title begins with; else unknown."""
    if ref.code:
        level = level_of(ref.code, ref.issuers)
    else:
        implied = implied_authority(ref)
        level = level_from_issuers(ref.issuers or ([implied[0]] if implied else []))
    if level == UNKNOWN and ref.title:
        level = level_from_title(ref.title)
    return level


@dataclass
class CodeUse:
    """One 代字 as it occurs in some texts: what the table says, and how often it occurs."""

    code: str
    row: Issuer | None
    count: int = 0
    unnamed: int = 0  # citations of an ambiguous code whose issuer the text does not name
    named: Counter = field(default_factory=Counter)  # issuers the text names, for ambiguous codes

    @property
    def authority(self) -> str | None:
        return self.row.authority if self.row else None

    @property
    def level(self) -> str:
        return self.row.level if self.row else UNKNOWN

    @property
    def region(self) -> str | None:
        return self.row.region if self.row else None

    @property
    def reason(self) -> str | None:
        """Why the code does not settle its issuer, or None when it does."""
        if self.row is None:
            return "not in issuers.tsv"
        if self.row.basis == "ambiguous":
            named = "、".join(name for name, _ in self.named.most_common(3))
            return (f"ambiguous: used by several issuers; {self.count - self.unnamed} of "
                    f"{self.count} citations name one" + (f" ({named})" if named else ""))
        if self.level == UNKNOWN:
            return "level unknown"
        return None


def census(refs: Iterable[Reference]) -> list[CodeUse]:
    """Every 代字 of the References' 文号, most frequent first."""
    uses: dict[str, CodeUse] = {}
    for ref in refs:
        if ref.kind != "文号" or not ref.code:
            continue
        use = uses.setdefault(ref.code, CodeUse(ref.code, lookup(ref.code)))
        use.count += 1
        if is_ambiguous(ref.code):
            use.named.update(ref.issuers[:1])
            use.unnamed += not ref.issuers
    return sorted(uses.values(), key=lambda u: (-u.count, u.code))
