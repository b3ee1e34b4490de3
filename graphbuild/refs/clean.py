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
from functools import lru_cache
from itertools import accumulate

_MAP = {
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    **{c: "〔" for c in "（([【{﹝［｛〖„"},
    **{c: "〕" for c in "）)]】}﹞］｝〗‟"},
    **{c: "〈" for c in "<‹＜"},
    **{c: "〉" for c in ">›＞"},
}
# Mapped characters are sparse, so a regex pass beats str.translate on CJK text.
_MAPPED = re.compile("[" + re.escape("".join(_MAP)) + "]")
_SPACE = re.compile(r"\s+")
# 晋财政法《2017》22号, 国办发“2009”3号: title or quotation marks used as the year
# bracket (same length, offsets kept).
_MARKED_YEAR = re.compile(r"[《“‘\"'「『〈](\d{4})[》”’\"'」』〉](?=第?\d{1,5}号)")
_QUOTES = re.compile(r"[《“‘\"'「『〈]")
# A year without brackets, before a serial: 人社部发 2008 120号 (spaces around the year,
# or after it only: 晋财教2023 81号) and 晋财教2023年81号. The space or 年 after the year
# becomes 〕, a space before it 〔; what is left is read like 晋财教2023〕81号.
_BARE_YEAR = re.compile(r"(?<=[\u3400-\u9fff])([ \t\u3000]*)(\d{4})([ \t\u3000]+|年)(?=第?\d{1,5}[ \t\u3000]*[号號])")
_CJK_RANGE = (0x3400, 0xA000)


@lru_cache(maxsize=1)
def _t2s() -> tuple[dict[int, str], re.Pattern | None]:
    """Traditional → simplified, character for character (OpenCC's t2s, one character
    each), and a pattern that finds any character it changes. Without OpenCC, no map."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return {}, None
    chars = [chr(i) for i in range(*_CJK_RANGE)]
    # One call for all characters, one per line: no phrase spans two of them.
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # pragma: no cover - a dictionary that merged lines
        return {}, None
    table = {ord(a): b for a, b in zip(chars, out) if a != b and len(b) == 1}
    return table, re.compile("[" + "".join(map(chr, table)) + "]")


def simplified(text: str) -> str:
    """``text`` with traditional characters made simplified, one for one (same length)."""
    table, present = _t2s()
    if present is None or not present.search(text):
        return text
    return text.translate(table)


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
    mapped = _MAPPED.sub(lambda m: _MAP[m.group()], simplified(text))
    if "号" in mapped:
        mapped = _BARE_YEAR.sub(_bracketed, mapped)
    parts = _SPACE.split(mapped)
    view = "".join(parts)
    if _QUOTES.search(view):
        view = _MARKED_YEAR.sub(r"〔\1〕", view)
    breaks = tuple(accumulate(map(len, parts[:-1])))
    shifts = tuple(accumulate(map(len, _SPACE.findall(mapped))))
    return Cleaned(text, view, breaks, shifts)


def _bracketed(m: re.Match) -> str:
    """人社部发 2008 120号 → 人社部发〔2008〕120号 (same length: only the spaces and 年 change)."""
    before, year, after = m.groups()
    before = "〔" + before[1:] if before else ""
    return before + year + "〕" + after[1:]
