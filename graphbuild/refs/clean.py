"""Normalise text for matching while keeping offsets into the original.

The matching view differs from the original in three ways:
full-width digits become ASCII, every bracket variant becomes 〔 or 〕 (as do title
marks around a year, 晋财政法《2017》22号), every nested title mark becomes 〈 or 〉,
and all whitespace is dropped — so "〔2014〕55 号",
"（ 襄 生 物 质 字〔2023〕1号）" and "晋发改投资发 〔2022〕336号" match like their tidy forms.
``Cleaned.span`` maps a view span back to the original text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

_MAP = {
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    **{c: "〔" for c in "（([【{﹝［｛"},
    **{c: "〕" for c in "）)]】}﹞］｝"},
    **{c: "〈" for c in "<‹＜"},
    **{c: "〉" for c in ">›＞"},
}
# Mapped characters are sparse, so a regex pass beats str.translate on CJK text.
_MAPPED = re.compile("[" + re.escape("".join(_MAP)) + "]")
_SPACE = re.compile(r"\s+")
# 晋财政法《2017》22号: title marks used as the year bracket (same length, offsets kept).
_MARKED_YEAR = re.compile(r"《(\d{4})》(?=第?\d{1,5}号)")


@dataclass(frozen=True)
class Cleaned:
    """The matching view of a text and the map back to the original."""

    original: str
    text: str
    _breaks: tuple[int, ...]  # view positions where a dropped whitespace run sat
    _shifts: tuple[int, ...]  # characters dropped before each break, cumulative

    def orig(self, i: int) -> int:
        """Original offset of view position ``i`` (a character start)."""
        k = bisect_right(self._breaks, i) - 1
        return i + (self._shifts[k] if k >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the view span [start, end); end > start."""
        return self.orig(start), self.orig(end - 1) + 1


def clean(text: str) -> Cleaned:
    """Build the matching view of ``text``."""
    mapped = _MAPPED.sub(lambda m: _MAP[m.group()], text)
    parts = _SPACE.split(mapped)
    view = "".join(parts)
    if "《" in view:
        view = _MARKED_YEAR.sub(r"〔\1〕", view)
    breaks = tuple(accumulate(map(len, parts[:-1])))
    shifts = tuple(accumulate(map(len, _SPACE.findall(mapped))))
    return Cleaned(text, view, breaks, shifts)
