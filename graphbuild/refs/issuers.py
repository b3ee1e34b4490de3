"""机关代字 → issuing authority and level (中央/省/市/县/乡镇/unknown).

The table lives in graphbuild/data/issuers.tsv; the longest matching prefix wins. A
code whose row says ``unknown`` (室字, 厅字 …) gets a level only from an issuer the text
names; otherwise it stays ``unknown`` — a guess is never presented as fact.

Document keys of ambiguous codes (basis ``ambiguous``: 厅字, 室字, 党组 … are used by
many issuers, so the number alone names no document) carry the issuer:

- ``<first issuer the text names> <文号>``: ``中共山西省委办公厅 厅字〔2021〕30号``;
- ``ambiguous:<文号>`` when the text names no issuer: ``ambiguous:室字〔2023〕7号``.

Every other 文号 is its own key.

Codes of counties and cities the table does not list are read from the disclosure's own
region (refs/region.py): with region 壶山/阳泉, 壶财预 is 壶山县财政局's (县) and 泉财预
阳泉市财政局's (市), authorities named after the table's own county and city rows (襄财 →
襄垣县财政局). Without a region such a code keeps level ``unknown``.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .models import Issuer, Reference
from .region import Region

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
# Failing a marker, the province, city or county a name or title opens with: 中共壶山县委,
# 大同市财政局, 壶山县公交…方案 (not 关于市…, 全省…).
_PLACE_HEAD = re.compile(r"(?!关于|[全各本我该省市县])[\u4e00-\u9fff]{2,3}?([省市县])")


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


@lru_cache(maxsize=256)
def prefixes(region: Region | None = None) -> tuple[str, ...]:
    """All prefixes a code is read from, longest first: the table's and the region's own."""
    own = region.finding_prefixes() if region else ()
    return tuple(sorted(set(table()).union(own), key=len, reverse=True))


@lru_cache(maxsize=256)
def prefix_pattern(region: Region | None = None) -> re.Pattern:
    """Where any of ``prefixes(region)`` starts: one regex scan, not a test per position."""
    return re.compile("(?=" + "|".join(map(re.escape, prefixes(region))) + ")")


@lru_cache(maxsize=256)
def anchored(region: Region | None = None) -> tuple[str, ...]:
    """The region's prefixes a code is read from only right after a boundary."""
    return region.aliases() if region else ()


@lru_cache(maxsize=1)
def roots() -> tuple[str, ...]:
    """What follows a region's prefix in the table's codes (财, 政发, 办发 …) and the central
    codes (财, 发改, 国发 …): a code is an unlisted prefix of 1–2 characters before one."""
    regional = [p for p, row in table().items() if row.basis == "prefix"]
    out = {row.prefix for row in table().values() if row.level == "中央" and row.basis == "code"}
    out.update(p[len(r):] for p, row in table().items() for r in regional
               if p.startswith(r) and p != r and row.region == table()[r].region)
    return tuple(sorted(out, key=len, reverse=True))


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


@lru_cache(maxsize=256)
def _own_rows(region: Region) -> dict[str, Issuer]:
    """The region's prefixes the table does not list, as rows (basis ``region``)."""
    return {p: Issuer(p, None, level, name, "region")
            for p, (level, name) in region.prefixes().items() if p not in table()}


@lru_cache(maxsize=8)
def _model(level: str) -> Issuer | None:
    """The table's own region at a level (县: 襄, 市: 长), whose codes name authorities."""
    return next((row for row in table().values()
                 if row.basis == "prefix" and row.level == level), None)


def _named_authority(code: str, row: Issuer) -> str | None:
    """Authority of a region's code, named like the model region's (壶财预 → 壶山县财政局)."""
    model = _model(row.level)
    if model is None or not model.region:
        return None
    like = lookup(model.prefix + code[len(row.prefix):])
    if like is None or like.prefix == model.prefix or not like.authority or like.level != row.level:
        return None
    return like.authority.replace(model.region, row.region)


@lru_cache(maxsize=4096)
def resolve(code: str, region: Region | None) -> Issuer | None:
    """The row of a code: the table's longest prefix, unless the region's own is longer
    (长子财 in 长治: 长子县, not 长治市); a region row names its authority if it can."""
    row = lookup(code)
    own = _own_rows(region) if region else {}
    best = max((p for p in own if code.startswith(p)), key=len, default="")
    if len(best) > (len(row.prefix) if row else 0):
        mine = own[best]
        return Issuer(best, _named_authority(code, mine), mine.level, mine.region, "region")
    return row


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
        known.get(name) or next((lvl for marker, lvl in _ISSUER_LEVELS if marker in name), None)
        or _place_level(name)
        for name in issuers
    }
    levels.discard(UNKNOWN)
    # Several issuers at different levels (a joint notice) do not settle one level.
    return levels.pop() if len(levels) == 1 else UNKNOWN


def level_from_title(title: str) -> str:
    """Level of the authority a title begins with ("襄垣县交通运输局…办法" → 县), or unknown."""
    head = title.removeprefix("中共")
    return next((level for marker, level in _ISSUER_LEVELS if head.startswith(marker)), None) \
        or _place_level(head)


def _place_level(name: str) -> str:
    m = _PLACE_HEAD.match(name.removeprefix("中共"))
    return m.group(1) if m else UNKNOWN


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
    if ref.code_issuer is not None:
        name = ref.code_issuer.authority
        return (name, "inferred from 代字 and the disclosure's region") if name else None
    if ref.code and (name := authority_of(ref.code)):
        return name, "inferred from 代字"
    return None


def document_level(ref: Reference) -> str:
    """Level of the document a Reference names: from its 代字 (the disclosure's region's,
    or the table's), its stated issuers, the authority its number implies, or the
    authority its title begins with; else unknown."""
    if ref.code_issuer is not None:
        level = ref.code_issuer.level
    elif ref.code:
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
        use = uses.setdefault(ref.code, CodeUse(ref.code, ref.code_issuer or lookup(ref.code)))
        use.count += 1
        if is_ambiguous(ref.code):
            use.named.update(ref.issuers[:1])
            use.unnamed += not ref.issuers
    return sorted(uses.values(), key=lambda u: (-u.count, u.code))
