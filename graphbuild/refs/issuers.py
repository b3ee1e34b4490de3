"""机关代字 → issuing authority and level (中央/省/市/县/乡镇/unknown).

The table lives in graphbuild/data/issuers.tsv; the longest matching prefix wins. A
code whose row says ``unknown`` (室字, 厅字 …) gets a level only from an issuer the text
names; otherwise it stays ``unknown`` — a guess is never presented as fact.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UNKNOWN = "unknown"
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


@lru_cache(maxsize=4096)
def lookup(code: str) -> Issuer | None:
    """The row whose prefix is the longest prefix of ``code``."""
    for prefix in prefixes():
        if code.startswith(prefix):
            return table()[prefix]
    return None


def level_from_issuers(issuers: list[str] | tuple[str, ...]) -> str:
    """Level implied by issuer names the text states, or ``unknown``."""
    levels = {level for name in issuers for marker, level in _ISSUER_LEVELS if marker in name}
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
