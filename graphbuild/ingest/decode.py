"""The text of a dump in whatever encoding portals publish.

UTF-8 (with or without BOM); UTF-16 with a BOM, or without one (told by where its zero
bytes fall); else GB18030 (GBK and GB2312 are part of it) or Big5, whichever reads as
Chinese text. Anything else is a ParseError naming the line and byte where UTF-8 fails.
"""
from __future__ import annotations

import codecs

from .errors import ParseError

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Characters common in Chinese government text, in simplified and traditional script: a
# wrong legacy decoding gives mostly rare characters instead.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反明看原又利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题党"
    "程展五果料象员位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压"
    "志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具"
    "万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界"
    "拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约"
    "支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养"
    "易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞項目績標經費資單預財號"
    "國發辦關於實來對會與專務縣區門時這為個們說從當動產種機現點數應開還樣間線內問題聯")


def decode(raw: bytes, source: str) -> str:
    """The text of a dump (see the module's docstring)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, len(bom), encoding, source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8 = err
    if endian := _utf16_without_bom(raw):
        try:
            return raw.decode(endian)
        except UnicodeDecodeError:
            pass
    candidates = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_chinese_score(text), text))
    best = max(candidates, default=(0.0, ""), key=lambda c: c[0])
    if best[0] >= 0.3:
        return best[1]
    line = raw[: utf8.start].count(b"\n") + 1
    raise ParseError(f"{source}:{line}: not text in UTF-8, UTF-16, GB18030 or Big5 (byte "
                     f"{utf8.start}: {utf8.reason})")


def _utf16_without_bom(raw: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when the zero bytes of ASCII characters (line ends,
    digits, spaces) fall on one side of every pair, else ''."""
    sample = raw[:65536]
    if len(sample) < 4 or len(sample) % 2:
        return ""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.02 * len(sample) and even < odd / 20:
        return "utf-16-le"
    if even > 0.02 * len(sample) and odd < even / 20:
        return "utf-16-be"
    return ""


def _chinese_score(text: str) -> float:
    """Share of the CJK characters that are common ones."""
    cjk = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    return sum(c in _COMMON for c in cjk) / len(cjk) if cjk else 0.0


def _strict(raw: bytes, skip: int, encoding: str, source: str) -> str:
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as err:
        at = skip + err.start
        newline = "\n".encode(encoding)
        line = raw[skip:at].count(newline) + 1
        raise ParseError(f"{source}:{line}: not {encoding.upper()} text after its byte-order "
                         f"mark (byte {at}: {err.reason})") from None
