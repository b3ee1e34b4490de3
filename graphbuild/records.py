"""Plain records that ingest produces and the graph consumes."""
from __future__ import annotations

from dataclasses import dataclass, field

# Narrative fields, keyed by the label printed in the table.
NARRATIVE_FIELDS = (
    "项目概况",
    "立项依据",
    "项目设立必要性",
    "保证项目实施的制度措施",
    "项目实施计划",
    "实施期目标",
    "年度目标",
)


@dataclass
class Indicator:
    """One row of the performance-indicator block."""

    period: str  # 实施期 or 年度
    level1: str  # 一级指标: 产出指标 / 效益指标 / 满意度指标
    level2: str  # 二级指标: 数量指标 …
    level3: str  # 三级指标 (may be empty)
    value: str  # 指标值 (may be empty)


@dataclass
class Funding:
    """A funding-source line: amount for the whole period and for the year."""

    source: str
    total: float | None
    annual: float | None


@dataclass
class ProjectRecord:
    """One 项目支出绩效目标表."""

    id: str  # stable: <source stem>#<table ordinal, 1-based>
    source: str  # file path as given
    ordinal: int  # 1-based position of the table in its source
    line: int  # 1-based line where the table starts (0 when read from PDF)
    page: int | None  # page number (PDF input, or page footer in dumps)
    year: int | None
    name: str
    dept_code: str
    dept_name: str
    unit: str
    attribute: str  # 一次性 / 经常性 / 延续性
    period_years: int | None
    funds_total: float | None  # 实施期资金总额, 元
    funds_annual: float | None  # 年度资金总额, 元
    money_unit: str = "元"  # the unit the amounts were printed in (they are stored in 元)
    funding: list[Funding] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # narrative label -> text
    field_lines: dict[str, int] = field(default_factory=dict)  # label -> first line
    field_pages: dict[str, int] = field(default_factory=dict)  # label -> page (PDF input)
    indicators: list[Indicator] = field(default_factory=list)
    ocr: bool = False  # some value was read by OCR from a scanned page
    labels: dict[str, str] = field(default_factory=dict)  # field role -> the label printed
