"""Field labels and value parsing shared by the text and PDF readers."""
from __future__ import annotations

import re
from itertools import accumulate

from ..records import Funding

TITLE_MARK = "项目支出绩效目标表"

# Labels below the money block, in the order the table prints them. Each is matched
# with its spaces removed, and may arrive split over several lines.
SECTION_LABELS = (
    ("项目概况", "项目概况"),
    ("立项依据", "立项依据"),
    ("项目设立必要性", "项目设立必要性"),
    ("保证项目实施的制度措施", "保证项目实施的制度、措施"),
    ("项目实施计划", "项目实施计划"),
    ("目标表头", "实施期目标年度目标"),
    ("总体目标", "总体目标"),
    ("绩效指标", "绩效指标"),
    ("指标表头", "一级指标二级指标三级指标指标值二级指标三级指标指标值"),
)

LEVEL1 = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
LEVEL2 = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
)
ATTRIBUTES = ("一次性", "经常性", "延续性")

_MONEY = re.compile(r"\d[\d,，.\s]*")
_FUNDING_LINE = re.compile(r"^(\D+?)\s*(\d[\d,，.\s]*?)\s+(\D+?)\s*(\d[\d,，.\s]*)$")
_YEARS = re.compile(r"(\d+)\s*年")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def parse_money(text: str) -> float | None:
    """'2,131, 157' -> 2131157.0; None when the text holds no amount."""
    m = _MONEY.search(text)
    if not m:
        return None
    digits = re.sub(r"[,，\s]", "", m.group())
    try:
        return float(digits)
    except ValueError:
        return None


def parse_funding(text: str) -> Funding | None:
    """'市县（区）财政资金 510,000 市县（区）财政资金 510,000' -> Funding; None for other lines."""
    m = _FUNDING_LINE.match(text)
    if not m:
        return None
    return Funding(source=m.group(1).strip(), total=parse_money(m.group(2)),
                   annual=parse_money(m.group(4)))


def parse_attribute(attribute_text: str, period_text: str) -> tuple[str, int | None]:
    """('一次性项目（ 1年结束）', '1年') -> ('一次性', 1)."""
    attribute = next((a for a in ATTRIBUTES if a in attribute_text + period_text), "")
    years = _YEARS.search(period_text) or _YEARS.search(attribute_text)
    return attribute, int(years.group(1)) if years else None


def join_lines(lines: list[str]) -> str:
    """Join PDF-wrapped lines: Chinese joins with no space, Latin words keep one."""
    out = ""
    for line in (s.strip() for s in lines):
        if not line:
            continue
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0]):
            out += " "
        out += line
    return out


def split_level2(text: str) -> list[tuple[str, str]]:
    """Split an indicator run into (二级指标, rest) pieces, in order."""
    pattern = "|".join(re.escape(k) for k in LEVEL2)
    spaced = re.sub(r"服务对象\s*满意度指标", "服务对象满意度指标", text)
    parts = re.split(f"({pattern})", spaced)
    pieces = []
    lead = parts[0].strip()
    if lead:
        pieces.append(("", lead))
    for i in range(1, len(parts), 2):
        pieces.append((parts[i], parts[i + 1].strip()))
    return pieces


_VALUE_START = re.compile(r"^[≥≤<>=＞＜≧≦]|^\d")


def split_level3(text: str) -> tuple[str, str]:
    """'参会代表人数 ≥193 人' -> ('参会代表人数', '≥193 人'); the value is the last words."""
    words = text.split()
    if len(words) < 2:
        return text.strip(), ""
    for i in range(1, len(words)):
        if _VALUE_START.match(words[i]):
            return "".join(words[:i]), " ".join(words[i:])
    return "".join(words[:-1]), words[-1]


def _paragraphs(lines: list[tuple[int, str]]) -> list[str]:
    paras, cur = [], []
    for _, t in lines + [(0, "")]:
        if t:
            cur.append(t)
        elif cur:
            paras.append(cur)
            cur = []
    return [join_lines(p) for p in paras]


def split_goals(lines: list[tuple[int, str]]) -> tuple[str, str]:
    """Split the 总体目标 cell into its 实施期 and 年度 halves."""
    paras = _paragraphs(lines)
    if len(paras) == 2:
        return paras[0], paras[1]
    text = " ".join(t for _, t in lines if t)
    words = text.split()
    # The cell printed twice on one run ("A B A B"): the halves meet at a word boundary.
    joined = "".join(words)
    half = len(joined) // 2
    if (len(words) > 1 and len(joined) % 2 == 0 and joined[:half] == joined[half:]
            and half in accumulate(map(len, words[:-1]))):
        return joined[:half], joined[half:]
    whole = join_lines([t for _, t in lines])
    return whole, whole if len(paras) == 1 else ""
