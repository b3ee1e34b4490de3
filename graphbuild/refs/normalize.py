"""Canonical forms: 文号, decree numbers, meeting minutes and titles."""
from __future__ import annotations

import re

_TITLE_TABLE = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        **{c: "〈" for c in "<‹＜〈《"},
        **{c: "〉" for c in ">›＞〉》"},
        "(": "（",
        ")": "）",
        ",": "，",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
    }
)
_SPACE = re.compile(r"\s+")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def doc_no(code: str, year: int, serial: int) -> str:
    """Canonical 文号: 晋财教〔2023〕81号."""
    return f"{code}〔{year}〕{serial}号"


def decree_no(issuer: str, serial: int) -> str:
    """Canonical decree number: 国务院令第712号 (中华人民共和国 dropped)."""
    issuer = issuer.removeprefix("中华人民共和国")
    return f"{issuer}令第{serial}号"


def minutes_key(body: str, year: int, number: int, unit: str) -> str:
    """Key of a numbered meeting record: 会议纪要:县政府常务会议〔2020〕第10次."""
    return f"会议纪要:{body}〔{year}〕第{number}{unit}"


def title(text: str) -> str:
    """Normalised title: no whitespace, nested marks 〈〉, full-width punctuation."""
    return _SPACE.sub("", text).translate(_TITLE_TABLE)


def title_key(text: str) -> str:
    """Document key for a document known only by its title."""
    return "title:" + title(text)


def cn_number(text: str) -> int:
    """Integer of an ASCII or Chinese numeral up to 99 (十三 → 13)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]
