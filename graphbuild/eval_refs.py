"""Score a citation finder against a hand-checked gold set (precision, recall, F1)."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .citations import regions
from .records import ProjectRecord
from .refs import find_refs
from .refs.region import Region
from .refs.normalize import title as normalize_title

KINDS = ("文号", "令", "标题", "issuer", "forwards")
Fact = tuple  # (kind, table, field, value...)


@dataclass
class Score:
    """Counts for one kind, over all fields or one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """None when the finder predicted nothing of this kind."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def cells(self) -> tuple[str, str, str]:
        """P, R and F1 to three places; P is "—" when nothing was predicted."""
        p = "—" if self.precision is None else f"{self.precision:.3f}"
        return p, f"{self.recall:.3f}", f"{self.f1:.3f}"


@dataclass
class Report:
    """Scores by kind and by (kind, field), with the facts missed and invented."""

    overall: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_field: dict[tuple[str, str], Score] = field(default_factory=lambda: defaultdict(Score))
    misses: list[Fact] = field(default_factory=list)
    false_hits: list[Fact] = field(default_factory=list)


def _ident(doc_no: str | None, title: str | None) -> str:
    return doc_no if doc_no else f"title:{normalize_title(title or '')}"


def facts(table: int, fld: str, refs: Iterable[dict]) -> set[Fact]:
    """Gold or found references of one field as comparable facts."""
    out: set[Fact] = set()
    for r in refs:
        kind = r["kind"]
        if kind in ("文号", "令") and r.get("doc_no"):
            out.add((kind, table, fld, r["doc_no"]))
        if r.get("title"):
            out.add(("标题", table, fld, normalize_title(r["title"])))
        ident = _ident(r.get("doc_no"), r.get("title"))
        out.update(("issuer", table, fld, ident, i) for i in r.get("issuers", []))
        out.update(("forwards", table, fld, ident, t) for t in r.get("forwards", []))
    return out


def found_refs(text: str, region: Region | None = None) -> list[dict]:
    """graphbuild's finder, as gold-shaped dicts (``region``: the disclosure's, as build uses).

    The gold records only titles written in 《》 and names forwarded documents by 文号, so
    unmarked notice titles are left out, and a notice known by nothing else has no entry:
    what it 印发 (issues) is credited to its issuers instead, as the gold does.
    """
    refs = find_refs(text, region)
    ident = {r.key: r.doc_no for r in refs if r.doc_no}
    rows = {r.key: {"kind": r.kind, "doc_no": r.doc_no,
                    "title": r.title if r.title_marked else None, "issuers": list(r.issuers),
                    "forwards": [ident.get(k, k) for k in r.forwards]} for r in refs}
    for r in refs:
        if r.kind == "标题" and not r.title_marked:
            rows.pop(r.key, None)
            if re.search("[印引]发", r.title or ""):  # 引发: the finder reads this typo as 印发
                for inner in filter(rows.__contains__, r.forwards):
                    rows[inner]["issuers"] += [i for i in r.issuers if i not in rows[inner]["issuers"]]
    return list(rows.values())


_NAIVE_NO = re.compile(r"([\u4e00-\u9fa5]{2,12})〔(\d{4})〕(\d+)号")
_NAIVE_TITLE = re.compile(r"《([^《》]+)》")


def naive_refs(text: str, region: Region | None = None) -> list[dict]:
    """The pattern most tools use: [\\u4e00-\\u9fa5]{2,12}〔\\d{4}〕\\d+号, and 《…》; it
    knows no region."""
    out = [{"kind": "文号", "doc_no": f"{m[1]}〔{m[2]}〕{int(m[3])}号", "title": None}
           for m in _NAIVE_NO.finditer(text)]
    out += [{"kind": "标题", "doc_no": None, "title": m[1]} for m in _NAIVE_TITLE.finditer(text)]
    return out


class PassageGold(dict):
    """Gold references by passage id, for a gold set of free-standing passages
    (``{"passage": id, "text": …, "source": …, "refs": […]}``), which carries its own texts:
    ``evaluate`` scores it without the records of a disclosure. Only 文号 and 令 are
    annotated in such a set, so only they are scored."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}


PASSAGE_KINDS = ("文号", "令")


def read_gold(path: str | Path) -> dict:
    """Gold references by table ordinal, or by passage id for a passage gold set
    (a ``PassageGold``, with the passages' texts)."""
    gold: dict = {}
    for no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
                if "passage" in row:
                    if not isinstance(gold, PassageGold):
                        if gold:
                            raise ValueError("passage row among table rows")
                        gold = PassageGold()
                    gold[str(row["passage"])] = row["refs"]
                    gold.texts[str(row["passage"])] = str(row["text"])
                else:
                    if isinstance(gold, PassageGold):
                        raise ValueError("table row among passage rows")
                    gold[int(row["table"])] = row["refs"]
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{no}: not a gold row ({err})") from None
    return gold


def _evaluate_passages(gold: PassageGold, finder: Callable) -> Report:
    report = Report()
    for pid, refs in gold.items():
        want = {f for f in facts(pid, "text", refs) if f[0] in PASSAGE_KINDS}
        got = {f for f in facts(pid, "text", finder(gold.texts[pid], None)) if f[0] in PASSAGE_KINDS}
        for fact in want | got:
            hit = "tp" if fact in want and fact in got else "fn" if fact in want else "fp"
            for score in (report.overall[fact[0]], report.by_field[(fact[0], "text")]):
                setattr(score, hit, getattr(score, hit) + 1)
        report.misses += sorted(want - got)
        report.false_hits += sorted(got - want)
    return report


def evaluate(gold: dict[int, list[dict]], records: list[ProjectRecord],
             finder: Callable[[str, Region | None], list[dict]] = found_refs) -> Report:
    """Compare `finder` on every field of the gold tables with the gold facts, each text
    with its source's region as build reads it. A passage gold set (``PassageGold``)
    carries its own texts, read without a region; ``records`` is then not used."""
    if isinstance(gold, PassageGold):
        return _evaluate_passages(gold, finder)
    by_ordinal = {r.ordinal: r for r in records}
    region = regions(records)
    report = Report()
    for table, refs in sorted(gold.items()):
        rec = by_ordinal[table]
        for fld, text in rec.fields.items():
            want = facts(table, fld, (r for r in refs if r["field"] == fld))
            got = facts(table, fld, finder(text, region[rec.source])) if text else set()
            for fact in want | got:
                kind = fact[0]
                hit = "tp" if fact in want and fact in got else "fn" if fact in want else "fp"
                for score in (report.overall[kind], report.by_field[(kind, fld)]):
                    setattr(score, hit, getattr(score, hit) + 1)
            report.misses += sorted(want - got)
            report.false_hits += sorted(got - want)
    return report
