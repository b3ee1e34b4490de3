"""What the citation finder returns."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issuer:
    """Who a 代字 prefix names: a row of issuers.tsv, or a disclosure's own county or city
    (basis ``region``)."""

    prefix: str
    authority: str | None
    level: str
    region: str | None
    basis: str


@dataclass
class Reference:
    """One document reference found in a text.

    ``key`` is the Document node key: the canonical 文号 (晋财教〔2023〕81号), a decree
    form (国务院令第712号), or ``title:<normalised title>`` when only a title is known.
    ``title`` is either the text of a 《》 (``title_marked``) or the title of a notice written
    without marks (关于印发《X》的通知（N号） → 关于印发〈X〉的通知, ``title_marked`` False).
    ``start``/``end`` are character offsets into the text given to the finder.
    """

    key: str
    kind: str  # 文号 | 令 | 会议纪要 | 标题
    start: int
    end: int
    surface: str  # the text as it stands between start and end
    doc_no: str | None = None
    code: str | None = None  # 机关代字, e.g. 晋财教
    year: int | None = None
    serial: int | None = None
    title: str | None = None
    title_marked: bool = False  # the title stood in 《》; else it is a notice's unmarked title
    issuers: list[str] = field(default_factory=list)  # authorities named in the text
    forwards: list[str] = field(default_factory=list)  # keys of documents this notice forwards
    repaired: str | None = None  # what was repaired in the surface, if anything
    code_issuer: Issuer | None = None  # the 代字's issuer when the disclosure's region gave it


@dataclass
class Rejection:
    """A 〔yyyy〕-like span the finder saw and did not take as a document number."""

    start: int
    end: int
    surface: str
    reason: str
