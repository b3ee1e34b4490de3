"""The county and city a disclosure comes from, and the 代字 prefixes their documents use.

A county's documents are numbered with the first character of its name (襄垣 → 襄财预), a
city's with the first (长治 → 长财) or, as 大同's 同, its second. Both are learned from the
disclosure itself (its departments and units: 襄垣县财政局, 长治市生态环境局襄垣分局), so
the finder reads any county's numbers whole and at the right level without a table of
every county's 代字.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

_CJK = "\u4e00-\u9fff"
# A county (or district) or a city at the start of an authority name: 中共襄垣县委…, 长治市…
_COUNTY = re.compile(f"(?:^|中共|[{_CJK}]{{2}}市)([{_CJK}]{{2}})([县区])")
_CITY = re.compile(f"(?:^|中共|[{_CJK}]{{2}}省)([{_CJK}]{{2}})市(?!场)")
# Cities named in narrative text only as authorities: 长治市财政局, 长治市人民政府
_CITY_AUTHORITY = re.compile(f"([{_CJK}]{{2}})市(?:人民政府|财政局|委|发展和改革|民政局)")
# Characters no city name before 市 holds: 全市, 我市, 本市, 城市, 超市, 据市 (根据市…)
_NOT_CITY = re.compile("[全我本各该省县城都超据照和及与的]")


@dataclass(frozen=True)
class Region:
    """A disclosure's county and city, names without 县/市 (襄垣, 长治); None if not known.
    A district is a county whose ``county_kind`` is 区 (上党区)."""

    county: str | None = None
    city: str | None = None
    county_kind: str = "县"

    def prefixes(self) -> dict[str, tuple[str, str]]:
        """代字 prefix → (level, region): 襄 and 襄垣 → (县, 襄垣县); 长, 长治 and 治 → (市, 长治市).

        A county whose first character is its city's (长子 in 长治) uses its whole name.
        The city's second character opens ordinary words (综治办 in 长治), so the finder
        reads a code from it only after a boundary (``aliases``).
        """
        out: dict[str, tuple[str, str]] = {}
        if self.city:
            for p in (self.city[1:2], self.city[:1], self.city):
                out[p] = ("市", self.city + "市")
        if self.county:
            out[self.county] = ("县", self.county + self.county_kind)
            if self.county[:1] != (self.city or "")[:1]:
                out[self.county[:1]] = ("县", self.county + self.county_kind)
        return out

    def finding_prefixes(self) -> tuple[str, ...]:
        """Prefixes the finder reads a code from anywhere: first characters, whole names."""
        own = self.prefixes()
        names = [n for n in (self.county, self.city) if n]
        return tuple(dict.fromkeys(p for n in names for p in (n, n[:1]) if p in own))

    def aliases(self) -> tuple[str, ...]:
        """The other prefixes (the city's second character): read only after a boundary."""
        return tuple(p for p in self.prefixes() if p not in self.finding_prefixes())


def infer(authorities: Iterable[str], texts: Iterable[str] = ()) -> Region:
    """The county and city most often named in a disclosure's department and unit names;
    a city no authority name gives is taken from city authorities the narrative names."""
    counties: Counter[tuple[str, str]] = Counter()
    cities: Counter[str] = Counter()
    for name, n in Counter(authorities).items():  # the same few names on every table
        for county in _COUNTY.findall(name):  # (襄垣, 县)
            counties[county] += n
        for city in _CITY.findall(name):
            if not _NOT_CITY.search(city):
                cities[city] += n
    county = counties.most_common(1)[0][0] if counties else None
    if not cities:
        for text in texts:
            cities.update(c for c in _CITY_AUTHORITY.findall(text) if not _NOT_CITY.search(c))
    county, kind = county or (None, "县")
    return Region(county, cities.most_common(1)[0][0] if cities else None, kind)
