"""One normaliser for every text source: dumps, PDF text layers, OCR.

PDF producers write the same character in several ways: Kangxi radicals (⽬ U+2F6C for 目),
CJK Radicals Supplement forms (⻔ U+2ED4 for 门, which NFKC leaves alone), compatibility
ideographs, full-width digits and letters, ligatures, no-break and ideographic spaces,
zero-width marks. ``normalize`` maps each to the character a reader means, one character
for one (zero-width marks become nothing), and leaves full-width punctuation （，：〔 as
printed: it is part of the text a researcher reads.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Blocks where NFKC gives the character meant: Kangxi Radicals, CJK Compatibility
# Ideographs (and their supplement), full-width ASCII letters and digits, ligatures.
_NFKC_RANGES = (
    (0x2F00, 0x2FDF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
    (0xFB00, 0xFB06),
)
_FULLWIDTH_ALNUM = [chr(0xFF10 + i) for i in range(10)] + \
    [chr(0xFF21 + i) for i in range(26)] + [chr(0xFF41 + i) for i in range(26)]
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for lo, hi in _NFKC_RANGES:
        for cp in range(lo, hi + 1):
            mapped = unicodedata.normalize("NFKC", chr(cp))
            if mapped != chr(cp):
                table[cp] = mapped
    for c in _FULLWIDTH_ALNUM:
        table[ord(c)] = unicodedata.normalize("NFKC", c)
    for c in _SPACES:
        table[ord(c)] = " "
    for c in _ZERO_WIDTH:
        table[ord(c)] = ""
    text = resources.files("graphbuild.data").joinpath("radicals.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            radical, ideograph, _ = line.split("\t")
            table[ord(radical)] = ideograph
    return table


@lru_cache(maxsize=1)
def _odd() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in _table()) + "]")


def normalize(text: str) -> str:
    """``text`` with every variant character above replaced by the one it stands for."""
    if not _odd().search(text):
        return text
    return text.translate(_table())
