"""The layout table (graphbuild/data/layouts.tsv): label synonyms → field role and unit.

Labels are compared in a compact form: no white space, brackets （）, no trailing colon.
``Labels.scan`` finds the labels printed in one line of a table.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Roles a form's label can fill (the value column of layouts.tsv).
NAME, DEPT, DEPT_CODE, UNIT = "项目名称", "主管部门", "主管部门代码", "实施单位"
TOTAL, ANNUAL, MONEY, SOURCE = "实施期资金总额", "年度资金总额", "项目资金", "资金来源"
ATTRIBUTE, PERIOD = "项目属性", "项目期"
GOALS, INDICATORS, OTHER = "总体目标", "绩效指标", "其他"
NARRATIVE = ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度措施", "项目实施计划",
             "实施期目标", "年度目标")
ROLES = (NAME, DEPT, DEPT_CODE, UNIT, TOTAL, ANNUAL, MONEY, SOURCE, ATTRIBUTE, PERIOD,
         *NARRATIVE, GOALS, INDICATORS, OTHER)

# A table's title: a short line with 绩效目标表, 绩效目标申报表, 绩效目标审批表 …
TITLE = re.compile(r"(?:绩效目标|績效目標)(?:申报|申報|审批|審批|批复|批覆|审核|審核)?表")
_TITLE_YEAR = re.compile(r"\s*(?:[（(]\s*\d{4}\s*年度?\s*[）)])?")
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）",
                           ":": "：", "﹙": "（", "﹚": "）"})
_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """The form labels are compared in: no white space, （） brackets, no trailing colon."""
    return _SPACE.sub("", text).translate(_BRACKETS).rstrip("：")


@dataclass(frozen=True)
class Label:
    """A label found in a line: where it stands, what it fills, the unit it declares."""

    start: int
    end: int  # after the label and any colon that follows it
    text: str
    role: str
    unit: str  # 元, 万元, or '' when the label declares none


@dataclass(frozen=True)
class Labels:
    """The layout table, compiled."""

    roles: dict[str, tuple[str, str]]  # compact label -> (role, unit)
    pattern: re.Pattern[str]
    prefixes: frozenset[str]  # every proper prefix of a compact label

    def lookup(self, text: str) -> tuple[str, str] | None:
        """(role, unit) of a whole cell that is a label, else None."""
        return self.roles.get(compact(text))

    def scan(self, line: str, loose: bool = False) -> list[Label]:
        """Labels in a line: each starts the line or follows a separator (white space, |,
        a colon) and is followed by a separator, a colon or the line's end — or starts the
        line or a cell and runs straight into its value. `loose`: anywhere at all."""
        out = []
        for m in self.pattern.finditer(line):
            start, end = m.span("label")
            if loose:
                role, unit = self.roles[compact(m.group("label"))]
                out.append(Label(start, m.end(), m.group("label"), role, unit))
                continue
            if start > 0 and not _SEPARATOR.match(line[start - 1]):
                continue
            after = line[end:end + 1]
            cell_start = start == 0 or line[start - 1] in "|｜\t" or line[max(0, start - 2):start] == "  "
            role, unit = self.roles[compact(m.group("label"))]
            run_on = after and not _SEPARATOR.match(after) and not m.group("colon")
            if run_on and (not cell_start or role in _NEVER_RUN_ON):
                continue
            out.append(Label(start, m.end(), m.group("label"), role, unit))
        return out

    def unrun(self, line: str) -> list[str]:
        """A table printed as one run of text with no separators (项目名称镇域内…项目属性新增…)
        cut before each label; any other line as it is."""
        if len(line) < 60 or len(self.scan(line)) >= 2:
            return [line]
        title = TITLE.search(line[:60])
        head = _TITLE_YEAR.match(line, title.end()).end() if title else 0
        found = [lab for lab in self.scan(line, loose=True) if lab.start >= head]
        if len({lab.role for lab in found} & _HEADER_ROLES) < 3:
            return [line]
        out = [line[:head], line[head:found[0].start]]
        for lab, nxt in zip(found, [*found[1:], None]):
            out.append(f"{lab.text} {line[lab.end:nxt.start if nxt else len(line)].strip()}")
        return [piece.strip() for piece in out if piece.strip()]

    def join_split(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Lines with each label printed over several lines (项目 / 概况, 绩 / 效 / 指 / 标,
        保证项目 / 实施的 / 制度、措施) joined into one, its value after it. Lines of the
        field before that fall between the pieces (立项 / 依 / <概况 text> / 据) stay before
        the label; blank lines between the pieces are dropped."""
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(lines):
            joined = self._joined(lines, i)
            if joined and self._joins_without(lines, i, joined[1]):
                joined = None  # 特申请该 / 项目 / 立项 / 依据: 项目 is the sentence's
            if joined:
                out += joined[0]
                i = joined[1]
            else:
                out.append(lines[i])
                i += 1
        return out

    def _joins_without(self, lines: list[tuple[int, str]], i: int, end: int) -> bool:
        """The same label ends at `end` when joined from the next non-blank line on."""
        k = next((k for k in range(i + 1, end) if lines[k][1].strip()), end)
        later = self._joined(lines, k) if k < end else None
        return bool(later) and later[1] == end

    def _joined(self, lines: list[tuple[int, str]], i: int
                ) -> tuple[list[tuple[int, str]], int] | None:
        no, text = lines[i]
        acc = compact(text)
        if acc not in self.prefixes:
            return None
        if acc in self.roles:  # 主管部门 / 及编码: a label that goes on into a longer one
            nxt = next((t.strip() for _, t in lines[i + 1:i + 4] if t.strip()), "")
            longer = compact(acc + nxt) in self.roles or \
                compact(acc + nxt.partition(" ")[0]) in self.roles
            if not longer:
                return None
        elif self.scan(text):
            return None
        between: list[tuple[int, str]] = []
        j, pieces = i + 1, 0
        while j < len(lines) and pieces < 48:
            piece = lines[j][1].strip()
            j += 1
            if not piece:
                continue
            pieces += 1
            head, _, rest = piece.partition(" ")
            if compact(acc + piece) in self.roles:
                return between + [(no, acc + piece)], j
            if compact(acc + head) in self.roles:  # the value starts on the last piece's line
                return between + [(lines[j - 1][0], f"{acc}{head} {rest}")], j
            if compact(acc + piece) in self.prefixes:
                acc = compact(acc + piece)
            elif len(between) < (40 if len(acc) > 1 else 3) and not self.scan(piece):
                between.append(lines[j - 1])
            else:
                return None
        return None


_HEADER_ROLES = {NAME, DEPT, DEPT_CODE, UNIT, TOTAL, ANNUAL, ATTRIBUTE, PERIOD}
# Labels that are also the first words of sentences (项目资金一定要…): never run on into a value.
_NEVER_RUN_ON = {MONEY, SOURCE, OTHER, GOALS, INDICATORS}
_SEPARATOR = re.compile(r"[\s|｜:：]")


def _spaced(label: str) -> str:
    """A regex for a label whose characters may have spaces between them and whose
    brackets may be any kind."""
    parts = []
    for ch in label:
        if ch == "（":
            parts.append(r"[（(\[【]")
        elif ch == "）":
            parts.append(r"[）)\]】]")
        elif ch == "：":
            parts.append(r"[：:]")
        else:
            parts.append(re.escape(ch))
    return r"[ \t]*".join(parts)


def _scripts(labels: list[str]) -> list[list[str]]:
    """Each label as printed in simplified and in traditional script (項目名稱)."""
    import opencc

    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    return [[label, *(c.convert(label) for c in converters)] for label in labels]


def table() -> Labels:
    """The layout table: graphbuild/data/layouts.tsv, then the files named in the
    environment variable GRAPHBUILD_LAYOUTS (separated by the path separator), whose rows
    add labels or give a label another role."""
    return _compiled(os.environ.get(LAYOUTS_ENV, ""))


LAYOUTS_ENV = "GRAPHBUILD_LAYOUTS"


@lru_cache(maxsize=4)
def _compiled(extra: str) -> Labels:
    sources = [("layouts.tsv",
                resources.files("graphbuild.data").joinpath("layouts.tsv").read_text("utf-8"))]
    for path in filter(None, extra.split(os.pathsep)):
        try:
            sources.append((path, open(path, encoding="utf-8-sig").read()))
        except OSError as err:
            raise ValueError(f"{path}: cannot read layout table ({err.strerror})") from None
    rows = []
    for name, text in sources:
        for no, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            label, role, unit = cols[0], cols[1] if len(cols) > 1 else "", cols[2] if len(cols) > 2 else ""
            if role not in ROLES or unit not in ("", "元", "万元"):
                raise ValueError(f"{name}:{no}: unknown role or unit in {line!r} (roles: "
                                 f"{' '.join(ROLES)}; units: 元 万元)")
            rows.append((label, role, unit))
    roles: dict[str, tuple[str, str]] = {}
    for (label, role, unit), variants in zip(rows, _scripts([r[0] for r in rows])):
        roles[compact(label)] = (role, unit)  # a later row gives a label another role
        for variant in variants[1:]:
            roles.setdefault(compact(variant), (role, unit))
    alternatives = "|".join(_spaced(k) for k in sorted(roles, key=len, reverse=True))
    pattern = re.compile(rf"(?P<label>{alternatives})[ \t]*(?P<colon>[：:])?[ \t]*")
    prefixes = frozenset(k[:n] for k in roles for n in range(1, len(k)))
    return Labels(roles, pattern, prefixes)
