"""Find document references in budget-disclosure text.

Model: clean (a matching view with offsets back to the original) → find (numbers,
decrees, minutes, titles in 《》) → resolve (attach titles to adjacent numbers, notices
to what they forward, issuers named before them). All offsets in results index the
text given to ``find_refs``/``rejected``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import normalize
from .clean import Cleaned, clean
from .issuers import anchored, doc_key, prefix_pattern, resolve, roots
from .models import Reference, Rejection
from .region import Region

MIN_YEAR = 1949
MAX_YEAR = date.today().year + 1
_MAX_CODE = 16  # longest 代字 looked at (襄一事一议美丽乡村办发 has 10)
_MAX_TITLE = 150  # an unclosed 《 is dropped after this many characters
_MIN_TITLE = 4  # an unclosed 《 or an unopened 》 shorter than this is no title
_TITLE_END = re.compile(r"[〔。；;！？]")  # where an unclosed 《 ends
_TITLE_START = re.compile(r"[。；;！？，：:]|^(?:根据|按照|依据|依照|遵照|执行)|》")  # before an unopened 》
_MAX_ISSUER = 60

# A bracket followed by digits: every 〔yyyy〕-like span starts here.
# A year outside and the serial inside the brackets (皖政2006〔59〕号) starts one too.
_YEAR = re.compile(r"〔(\d{4,})|(?<=[\u3400-\u9fff])(\d{4})(?=〕第?\d)"
                   r"|(?<=[\u3400-\u9fff])(\d{4})(?=〔\d{1,5}〕号)")
# The serial, or a list of serials of one code and year: 沪府土（2007）第632、509号.
_SERIAL = re.compile(r"年?〕(〕*)第?(\d{1,5})((?:[、，,]\d{1,5})*)号")
_SERIAL_INSIDE = re.compile(r"〔(\d{1,5})〕号")
# 泉政文〔20177号: the closing bracket lost after the year (read only when the year is plausible).
_LOST_BRACKET = re.compile("号")
# Province abbreviations: a 代字 may start with one anywhere before a year (直辖后渝府发).
_GOV_ROOT = frozenset("府政委办")  # 渝府发, 湘政办发, 粤委, 鲁办发
_PROVINCES = frozenset("京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵黔云滇藏陕甘青宁新蒙")
_MINUTES = re.compile(r"〕?年?第?(\d{1,4}|[一二三四五六七八九十]{1,3})(次|期)〕?((?:常务)?(?:会议?)?(?:纪要)?)")
_SERIAL_MISSING = re.compile(r"〕号")
_PERIOD = re.compile(r"〕?年|[-—–－~～至]|修订")
_DECREE = re.compile(r"令第?(\d{1,5})号|第(\d{1,5})号令")
_MARK = re.compile(r"[《》〈〉]")

# Words a 代字 never contains: where they occur, the code starts after them.
_NOT_IN_CODE = re.compile(
    "县|市|政府|政厅|政局|政部|育厅|委员会|办公室|人民|中共|中央|文件|名称|依据|根据|按照"
    "|落实|贯彻|执行|纪要|会议|关于|通知|意见|办法|方案|精神|要求|规定|公告|办公厅|[的和及与年月日号为了据]"
)
# Where a code may start: after a word no code holds, a verb (印发屯财预〔…〕) or a word
# that ends a phrase before a number (请示 书 资金 第3次).
_BOUNDARY = re.compile(_NOT_IN_CODE.pattern + "|印发|转发|下发|下达|引发|联合|出台|制定|参照"
                       "|请示|批复|资金|书|次|(?<=[\u4e00-\u9fff]{2})局|符合|以|含|后")
# Leading words before an issuer or a meeting name: keep what follows the last one.
_LEAD = re.compile(r".*(?:立项依据|项目概况|依据|根据|按照|遵照|落实|执行|精神|文件|要求|批复|决定|措施|通知|纪要|[年月日次期及号])")
# Between two issuers written without a separator: after an authority ending, before a region.
# A 总局's provincial branch (国家税务总局山西省税务局) is one authority.
_ISSUER_SPLIT = re.compile(
    r"[\s、]+|(?<=[厅局委会室院部府办])(?<!总局)(?=中共|山西|长治|襄垣|北京|国家|国务院|省|市|县|审计署"
    r"|(?!关于|[全各本我该省市县])[\u4e00-\u9fff]{2}[市县](?!场)"
    r"|(?:外交|国防|教育|科技|工业和信息化|公安|民政|司法|财政|人力资源和?社会保障|人社|自然资源"
    r"|生态环境|住房和?城乡建设|交通运输|水利|农业农村|商务|文化和旅游|退役军人事务|应急管理)部)"
)
# Spaces inside one name: after a character no authority name ends with ("山西省财政 厅").
_INNER_SPACE = re.compile(r"(?<=[^室厅府会委局部院组心署办行央镇乡处\s、])\s+")
_TITLE_ISSUERS = re.compile(r"([^〈]{3,60}?)(?:关于|印发|转发|下达)")
_AUTHORITY_END = re.compile(r"(?:室|厅|政府|会|委|局|部|院|组|中心|署|办|行|中央|镇|乡|处)$")
_SHORT_AUTHORITY = re.compile(r"[省市县]委")  # 县委《…》
_ISSUED = re.compile(r"\s*(?:(?:联合)?(?:关于)?(?:印发|下发|转发|发布|出文)?的?|文件|以)$")
# Issuers right after a number, before its title: 晋财库〔2019〕22号山西省财政厅关于…
_ISSUERS_AFTER = re.compile(r"([\u4e00-\u9fff]{3,60}?)(?:关于|印发|转发|批复|\d{4}年)")
_DECREE_ISSUER_END = re.compile(r"(?:院|部|政府|委员会|委|局|署|行)$")
_NOTICE_VERBS = ("印发", "转发", "下达", "引发")  # 引发: a homophone typo of 印发 in the sample
_NOTICE_VERB = re.compile("关于|印发|转发|下达")
_FORWARDING = re.compile(r"(?:印发|转发|下达|引发)〈")
_TITLE_WORD = re.compile(
    r"通知|意见|办法|批复|函|请示|决定|规定|方案|报告|细则|纪要|说明|标准|规划|计划|通报|条例|规程|制度"
)
# A title without any of these words, short, unnumbered and not forwarded, names a
# newspaper, a play or a platform (《人民日报》《红灯记》), not a document.
_DOC_WORD = re.compile(
    r"通知|意见|办法|条例|法$|规定|方案|规划|计划(?!生育)|标准|细则|纪要|批复|决定|规程|制度|要点|清单|目录"
    r"|指南|通报|函|报告|说明|纲要|协议|规范|体系|机制|表|预算|决议|请示|准则|规则|章程|措施|安排"
    r"|任务|实施|公告|决算|合同|预案|责任制|依据|要求|讲话|汇报|事宜|职责|验收单|要件|精神"
)
# Forms and certificates in 《》 (登记表, 光荣证) are not documents.
_FORM = re.compile(r"(?:证|证书|登记表|申请表|审批表|花名册|台账|卡)$")
# A title opening with an authority's name (襄垣县交通运输局支出管理办法, 中共长治市委组织部
# 2023年工作要点) was issued by it — unless it regulates that authority (职能配置…规定) or
# records its meeting.
_AUTHORITY_HEAD = re.compile(
    r"(?!.*(?:职能|会议|纪要))(?:中共)?(?:山西|长治|襄垣|北京|(?!关于|[全各本我该省市县])"
    r"[\u4e00-\u9fff]{2}(?=[市县]))[\u4e00-\u9fff]{1,24}"
    r"(?:办公室|办公厅|委员会|领导小组|厅|局|(?<!干)部|委|院|署)(?=[\u4e00-\u9fff\d]{2})"
)
_TITLE_STOP = set("，。；：《》〔〕、！？,;:")
_GAP = set("〔—-－")
_SEPARATORS = set("、及和")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _cjk_run_before(v: str, j: int, limit: int) -> int:
    """Start of the run of CJK characters ending at ``j`` (at most ``limit`` long)."""
    k = j
    while k > 0 and j - k < limit and _is_cjk(v[k - 1]):
        k -= 1
    return k


def _year(digits: str) -> tuple[int | None, str | None]:
    """The year a bracketed number stands for, and the repair made, if any."""
    if len(digits) == 4:
        y = int(digits)
        return (y, None) if MIN_YEAR <= y <= MAX_YEAR else (None, None)
    if len(digits) == 5:  # a doubled digit: 20023 → 2023
        fixes = {
            digits[:i] + digits[i + 1 :] for i in range(4) if digits[i] == digits[i + 1]
        }
        fixes = {f for f in fixes if MIN_YEAR <= int(f) <= MAX_YEAR}
        if len(fixes) == 1:
            fixed = fixes.pop()
            return int(fixed), f"year {digits} read as {fixed}"
    return None, None


def _code(run: str, bounded: bool, known: re.Pattern,
          anchored: tuple[str, ...] = ()) -> tuple[int, str, str | None] | None:
    """Where the 代字 starts in ``run``, the code, and a repair made; None if no code.

    The earliest position where a ``known`` prefix starts (issuers.prefix_pattern) that
    holds no word a code never contains; an unlisted prefix of 1–2 characters after a
    boundary and before a code root belongs to the code (屯财预 is no 财预 of 财政部, 壶政发
    is found), and so does an ``anchored`` prefix right after one (泉环壶发, 泉 the city's
    second character). Failing that, a short bracket-bounded run is taken whole. A
    bounded code ending in the homophone typo 办法 is read as 办发.
    """
    for m in known.finditer(run):
        i = m.start()
        if i < len(run) - 1 and not _NOT_IN_CODE.search(run, i):
            if i and (run.startswith(roots(), i) or any(a in run[:i] for a in anchored)):
                b = _boundary(run, bounded)
                if b is not None and b < i and (run.startswith(anchored, b) or (
                        i - b <= 2 and run.startswith(roots(), i))):
                    return b, run[b:], None
            return i, run[i:], None
    b = _boundary(run, bounded)
    if b is not None and (run.startswith(roots(), b + 1) or run.startswith(roots(), b + 2)):
        return b, run[b:], None
    if b is not None and b > 0 and 2 <= len(run) - b <= 12:  # after a boundary: 根据六盘水党发
        return b, run[b:], None
    # No boundary: a province's abbreviation before a government root starts the code
    # (引用命中渝府发, 直辖后渝府发); anywhere in a run too long to be one code.
    p = next((i for i in range(len(run) - 1) if run[i] in _PROVINCES and (
        run[i + 1] in _GOV_ROOT or not bounded)), None) if not b else None
    if p is not None and len(run) - p <= 12:
        return p, run[p:], None
    if bounded and 2 <= len(run) <= 10 and not _NOT_IN_CODE.search(run):
        return 0, run, None
    if bounded and run.endswith("办法") and known.match(run):
        fixed = run[:-2] + "办发"
        if not _NOT_IN_CODE.search(fixed):
            return 0, fixed, f"代字 {run} read as {fixed}"
    return None


def _boundary(run: str, bounded: bool) -> int | None:
    """Where a code may start in ``run`` at the earliest: after the last word no code holds
    (根据, 和, 县 …) or verb (印发); 0 for a bracket-bounded run without one; else None."""
    end = None
    for m in _BOUNDARY.finditer(run):
        end = m.end()
    return end if end is not None else (0 if bounded else None)


def split_issuers(run: str) -> list[str]:
    """Authority names in a run like "中共长治市委办公室 长治市人民政府办公室"; [] if not all are."""
    words = run.split()
    run = "".join(words) if len(words) > 2 and all(len(w) == 1 for w in words) else run  # 长 治 市
    parts = [p for p in _ISSUER_SPLIT.split(_INNER_SPACE.sub("", run)) if p]
    if parts and all(
        (len(p) >= 3 and _AUTHORITY_END.search(p)) or _SHORT_AUTHORITY.fullmatch(p) for p in parts
    ):
        return parts
    return []


def _lead_stripped(run: str) -> tuple[int, str]:
    """Drop leading verbs and dates; return (offset of the rest, rest)."""
    m = _LEAD.match(run)
    cut = m.end() if m else 0
    if run[cut:cut + 1] in ("据", "和", "为", "以", "由") and len(run) > cut + 1:
        cut += 1
    return cut, run[cut:]


@dataclass(eq=False)  # hits are told apart by identity, never by equal fields
class _Hit:
    """A reference under construction, in view coordinates."""

    ref: Reference
    vstart: int
    vend: int
    titled: bool = False


@dataclass
class _Node:
    """A 《…》 (or nested 〈…〉) span in the view."""

    start: int
    end: int = -1
    children: list[_Node] = field(default_factory=list)
    opened: bool = True  # False: the 《 is missing, the title starts at ``start``
    closed: bool = True  # False: the 》 is missing, the title ends before ``end``


@dataclass
class _Scan:
    """Everything one pass over a text finds."""

    cleaned: Cleaned
    region: Region | None = None  # the disclosure's county and city: their codes are known
    hits: list[_Hit] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # 代字〔yyyy〕号 with no serial, by view start: (code, year, its rejection)
    unnumbered: dict[int, tuple[str, int, Rejection]] = field(default_factory=dict)

    def reject(self, vstart: int, vend: int, reason: str) -> Rejection:
        start, end = self.cleaned.span(vstart, vend)
        rejection = Rejection(start, end, self.cleaned.original[start:end], reason)
        self.rejections.append(rejection)
        return rejection

    def add(self, vstart: int, vend: int, **fields) -> _Hit:
        start, end = self.cleaned.span(vstart, vend)
        ref = Reference(start=start, end=end, surface=self.cleaned.original[start:end], **fields)
        hit = _Hit(ref, vstart, vend)
        self.hits.append(hit)
        return hit

    def drop(self, hit: _Hit) -> None:
        """Take back a hit; the one just added costs nothing to find."""
        if self.hits and self.hits[-1] is hit:
            self.hits.pop()
        else:
            self.hits.remove(hit)

    def extend(self, hit: _Hit, vstart: int, vend: int) -> None:
        hit.vstart, hit.vend = min(hit.vstart, vstart), max(hit.vend, vend)
        start, end = self.cleaned.span(hit.vstart, hit.vend)
        hit.ref.start, hit.ref.end = start, end
        hit.ref.surface = self.cleaned.original[start:end]


def _scan_years(s: _Scan) -> None:
    """Numbers (文号), meeting minutes and rejections, from every 〔yyyy〕-like span."""
    v = s.cleaned.text
    codes = prefix_pattern(s.region)
    aliases = anchored(s.region)
    for m in _YEAR.finditer(v):
        b, ye, digits = m.start(), m.end(), m.group(1) or m.group(2) or m.group(3)
        year, repair = _year(digits)
        repairs = [repair] if repair else []
        lost = None
        if m.group(2):
            repairs.append("missing opening bracket before year")
        elif m.group(3):
            repairs.append("serial in brackets, year outside")
        elif (mark := s.cleaned.original[s.cleaned.orig(b)]) in "《“‘\"'「『〈":
            repairs.append("title marks 《》 around year" if mark == "《" else f"marks {mark} around year")
        elif 4 < len(digits) <= 8 and MIN_YEAR <= int(digits[:4]) <= MAX_YEAR and (
                lost := _LOST_BRACKET.match(v, ye)) is not None and int(digits[4:]) > 0:
            year = int(digits[:4])
            repairs = [f"closing bracket lost: {digits} read as {digits[:4]}〕{int(digits[4:])}"]
        t = None if lost else (_SERIAL_INSIDE.match(v, ye) if m.group(3)
                               else _SERIAL.match(v, ye) or _SERIAL_MISSING.match(v, ye))
        if lost is not None or t is not None:
            t = t or lost
            if year is None:
                s.reject(b, t.end(), "year out of range")
                continue
            j = b
            if j > 1 and v[j - 1] in "〔〕" and _is_cjk(v[j - 2]):
                j -= 1
                repairs.append(f"stray bracket {s.cleaned.original[s.cleaned.orig(j)]!r} before year")
            k = _cjk_run_before(v, j, _MAX_CODE)
            found = _code(v[k:j], k == 0 or not _is_cjk(v[k - 1]), codes, aliases)
            if found is None:
                s.reject(b, t.end(), "no 代字 before year")
                continue
            at, code, code_repair = found
            if code_repair:
                repairs.append(code_repair)
            if t.re is _SERIAL_MISSING:
                s.unnumbered[k + at] = (code, year, s.reject(k + at, t.end(), "serial missing"))
                continue
            if t.re is _SERIAL:
                if t.group(1):
                    repairs.append("stray closing bracket after year")
                serials = [int(t.group(2))] + [int(x) for x in re.findall(r"\d+", t.group(3))]
            else:
                serials = [int(digits[4:])] if lost is not None else [int(t.group(1))]
                year = year if lost is None else int(digits[:4])
            for serial in serials:
                no = normalize.doc_no(code, year, serial)
                s.add(k + at, t.end(), key=no, kind="文号", doc_no=no, code=code, year=year,
                      serial=serial, repaired="; ".join(repairs) or None)
        elif (t := _MINUTES.match(v, ye)) is not None:
            j = b - 1 if v[b - 1 : b] == "〔" else b  # 纪要（〔2015〕第2次）
            k = _cjk_run_before(v, j, 40)
            cut, body = _lead_stripped(v[k:j].removesuffix("纪要"))
            trailing = t.group(3).removesuffix("纪要")  # 〔2015〕第3次常务会议纪要
            body = body + trailing if "会" not in body else body
            number = normalize.cn_number(t.group(1))
            key = normalize.minutes_key(body or "会议", year or int(digits), number, t.group(2))
            start = k + cut if k + cut < j else b
            s.add(start, t.end(), key=key, kind="会议纪要", year=year, serial=number)
            s.reject(b, t.end(), "meeting minutes")
        elif year is None:
            s.reject(b, ye, "not a year")
        elif (t := _PERIOD.match(v, ye)) is not None:
            s.reject(b, t.end(), "date or period")
        else:
            s.reject(b, min(ye + 1, len(v)), "no serial after year")


def _scan_decrees(s: _Scan) -> None:
    """Decree numbers: 国务院令第712号, 财政部第81号令 → 财政部令第81号."""
    v = s.cleaned.text
    for m in _DECREE.finditer(v):
        j = m.start()
        k = _cjk_run_before(v, j, 24)
        cut, issuer = _lead_stripped(v[k:j])
        if not _DECREE_ISSUER_END.search(issuer):
            continue
        serial = int(m.group(1) or m.group(2))
        key = normalize.decree_no(issuer, serial)
        s.add(k + cut, m.end(), key=key, kind="令", doc_no=key, serial=serial)


def _titles(v: str) -> list[_Node]:
    """Top-level 《…》 spans with their nested titles.

    A 《 left open ends at the next bracket or sentence stop (《…办法（晋财〔2023〕1号）);
    failing that, it gives up its children. A 》 never opened starts after the previous
    title or sentence stop (…实施意见》（晋政发〔2014〕18号）).
    """
    top: list[_Node] = []
    stack: list[_Node] = []
    # Where the last stop before an unopened 》 is, kept as the scan goes (linear, not
    # a search from the start of the text for every 》).
    last_stop, scanned, top_end, top_seen = 0, 0, 0, 0

    def abandon() -> None:
        node = stack[0]
        stop = _TITLE_END.search(v, node.start + 1, node.start + _MAX_TITLE)
        children = [c for c in node.children if c.end > 0]
        end = stop.start() if stop else -1
        if end - node.start > _MIN_TITLE and all(c.end <= end for c in children):
            top.append(_Node(node.start, end, children, closed=False))
        else:
            top.extend(children)
        stack.clear()

    for m in _MARK.finditer(v):
        ch, i = m.group(), m.start()
        if stack and i - stack[0].start > _MAX_TITLE:
            abandon()
        if ch == "》" and not stack:
            for stop in _TITLE_START.finditer(v, scanned, i):
                last_stop = stop.end()
            scanned = i
            top_end = max([top_end] + [n.end for n in top[top_seen:]])
            top_seen = len(top)
            last = max(top_end, last_stop)
            if _MIN_TITLE < i - last <= _MAX_TITLE:
                top.append(_Node(last, i + 1, opened=False))
            continue
        if ch == "《" or (ch == "〈" and stack):
            node = _Node(i)
            if stack:
                stack[-1].children.append(node)
            stack.append(node)
        elif stack and ch in "》〉":
            node = stack.pop()
            node.end = i + 1
            node.children = [c for c in node.children if c.end > 0]
            if not stack:
                top.append(node)
    if stack:
        abandon()
    top.sort(key=lambda n: n.start)
    return [n for n in top if n.end - n.start > 2]


def _is_document(title: str) -> bool:
    """Whether a bare title names a document: a document word (办法, 通知 …) or 关于…,
    and not a form or certificate. Newspapers, plays and programme names have neither."""
    return bool(_DOC_WORD.search(title) or "关于" in title) and not _FORM.search(title)


def _title_issuers(title: str) -> list[str]:
    """Issuers that open a title: 山西省财政厅关于印发〈…〉的通知 → [山西省财政厅]."""
    m = _TITLE_ISSUERS.match(title)
    if m and not _NOTICE_VERB.search(m.group(1)):
        return split_issuers(m.group(1))
    m = _AUTHORITY_HEAD.match(title)
    return [m.group()] if m else []


class _Resolver:
    """Attaches titles, notices and issuers to the numbers of one scan."""

    def __init__(self, s: _Scan) -> None:
        self.s = s
        self.v = s.cleaned.text
        numbers = [h for h in s.hits if h.ref.kind in ("文号", "令")]
        self.by_start = {h.vstart: h for h in numbers}
        self.by_end = {h.vend: h for h in numbers}
        self.numbers = numbers

    def title_text(self, node: _Node) -> str:
        start, end = self.s.cleaned.span(node.start, node.end)
        return normalize.title(self.s.cleaned.original[start + node.opened : end - node.closed])

    def number_after(self, i: int) -> _Hit | None:
        j = i
        while j < len(self.v) and j - i < 4 and self.v[j] in _GAP:
            j += 1
        hit = self.by_start.get(j)
        return hit if hit is not None and not hit.titled else None

    def number_before(self, i: int) -> _Hit | None:
        """A number ending at ``i``, or ending right before an issuer run ending at ``i``."""
        hit = self.by_end.get(i)
        if hit is None and _AUTHORITY_END.search(self.v[max(0, i - 3) : i]):
            k = _cjk_run_before(self.v, i, _MAX_ISSUER)
            ends = [p for p in range(k, i) if p in self.by_end and split_issuers(self.v[p:i])]
            hit = self.by_end[ends[-1]] if ends else None
        return hit if hit is not None and not hit.titled else None

    def unnumbered_after(self, hit: _Hit, i: int) -> None:
        """《title》（财行〔2021〕号）: keep code and year on the title reference."""
        j = i
        while j < len(self.v) and j - i < 4 and self.v[j] in _GAP:
            j += 1
        if j in self.s.unnumbered:
            code, year, rejection = self.s.unnumbered[j]
            hit.ref.code, hit.ref.year = code, year
            hit.ref.repaired = f"{code}〔{year}〕号 has no serial; kept under its title"
            rejection.reason += "; kept as a title reference"

    def issuers(self, i: int) -> list[str]:
        """Authorities named right before view position ``i``, as the original spells them."""
        text = self.s.cleaned.original
        end = self.s.cleaned.orig(i) if i < len(self.v) else len(text)
        k = end
        while k > 0 and end - k < _MAX_ISSUER and (_is_cjk(text[k - 1]) or text[k - 1] in " \u3000、"):
            k -= 1
        return split_issuers(_ISSUED.sub("", _lead_stripped(text[k:end])[1]))

    def set_title(self, hit: _Hit, title: str, vstart: int, vend: int, marked: bool) -> None:
        hit.titled = True
        hit.ref.title, hit.ref.title_marked = title, marked
        if not hit.ref.issuers:
            hit.ref.issuers = (
                _title_issuers(title) or self.issuers(vstart) or self.issuers(hit.vstart)
            )
        self.s.extend(hit, vstart, vend)

    def title_ref(self, node: _Node, title: str, forwarded: bool) -> _Hit:
        """A document known by its 《title》; what stands before a forwarded one is the
        notice's issuers and verb, not its own."""
        issuers = _title_issuers(title) or ([] if forwarded else self.issuers(node.start))
        return self.s.add(node.start, node.end, key=normalize.title_key(title), kind="标题",
                          title=title, title_marked=True, issuers=issuers)

    def node(self, node: _Node, forwarded: bool = False) -> _Hit:
        """Resolve one 《》 node: its number, and what it forwards."""
        title = self.title_text(node)
        hit = self.number_after(node.end) or self.number_before(node.start)
        if hit is not None:
            self.set_title(hit, title, node.start, node.end, marked=True)
        else:
            hit = self.title_ref(node, title, forwarded)
            self.unnumbered_after(hit, node.end)
        if node.children and _FORWARDING.search(title):
            hit.ref.forwards = [self.node(c, forwarded=True).ref.key for c in node.children]
        if not (forwarded or hit.titled or hit.ref.forwards or hit.ref.code or _is_document(title)):
            self.s.drop(hit)
        return hit

    def notice(self, group: list[_Node]) -> bool:
        """关于印发《A》《B》的通知（num）: resolve the group; False if it is no notice."""
        verb_at = group[0].start - 2
        end = group[-1].end
        if not self.v.startswith("的通知", end):
            return False
        end += 3
        start = verb_at
        window = self.v[max(0, verb_at - 40) : verb_at]
        about = window.rfind("关于")
        if about >= 0 and not _TITLE_STOP.intersection(window[about:]):
            start = verb_at - len(window) + about
        else:  # 中共中央办公厅印发《…》的通知: the issuers open the title
            k = _cjk_run_before(self.v, verb_at, _MAX_ISSUER)
            cut, run = _lead_stripped(self.v[k:verb_at])
            if split_issuers(run):
                start = k + cut
        title = None
        if start < verb_at:
            o_start, o_end = self.s.cleaned.span(start, end)
            title = normalize.title(self.s.cleaned.original[o_start:o_end])
        forwards = [self.node(n, forwarded=True).ref.key for n in group]
        hit = self.number_after(end) or self.number_before(start)
        if hit is not None and title is not None:
            self.set_title(hit, title, start, end, marked=False)
        elif hit is not None:
            hit.titled = True
            self.s.extend(hit, start, end)
        elif title is not None:
            hit = self.s.add(start, end, key=normalize.title_key(title), kind="标题", title=title,
                             issuers=_title_issuers(title) or self.issuers(start))
            self.unnumbered_after(hit, end)
        if hit is not None:
            hit.ref.forwards = forwards
            hit.ref.issuers = (self.issuers(verb_at) or hit.ref.issuers
                               or self.issuers(min(start, hit.vstart)))
        return True

    def plain_titles(self) -> None:
        """关于…的通知（num） and num关于…的通知: titles written without 《》."""
        v = self.v
        for hit in self.numbers:
            if hit.titled or hit.ref.kind != "文号":
                continue
            g = hit.vstart
            while g > 0 and hit.vstart - g < 4 and v[g - 1] in _GAP:
                g -= 1
            if g < hit.vstart:  # title before: 关于…的通知（num）
                window = v[max(0, g - 60) : g]
                about = window.rfind("关于")
                if (
                    about >= 0
                    and not _TITLE_STOP.intersection(window[about:])
                    and _TITLE_WORD.search(window[-4:])
                ):
                    start = g - len(window) + about
                    self.set_title(hit, self._plain(start, g), start, g, marked=False)
                    continue
            if v.startswith("关于", hit.vend):  # title after: num关于…的通知
                k = hit.vend
                while k < len(v) and k - hit.vend < 60 and v[k] not in _TITLE_STOP:
                    k += 1
                ends = [m.end() for m in _TITLE_WORD.finditer(v, hit.vend, k)]
                if ends:
                    self.set_title(hit, self._plain(hit.vend, ends[-1]), hit.vend, ends[-1], marked=False)

    def stated_issuers(self) -> None:
        """Issuers written right before a number (襄垣县财政局襄财函〔2024〕7号) or right
        after it, before its title (晋财库〔2019〕22号山西省财政厅关于…)."""
        for hit in self.numbers:
            if hit.ref.kind == "文号" and not hit.ref.issuers:
                m = _ISSUERS_AFTER.match(self.v, hit.vend)
                hit.ref.issuers = self.issuers(hit.vstart) or (split_issuers(m[1]) if m else [])

    def forwarded_numbers(self) -> None:
        """A forwarded title that is the title of a number in the same text names that
        number ("转发〈省人社厅、财政厅关于X的通知〉" with "《关于X的通知》（晋人社密电〔2022〕7号）");
        so does "转发《X》（num）" when X is another number's title: num forwards it."""
        numbered: dict[str, _Hit] = {}
        for h in self.numbers:
            if h.ref.title_marked:
                numbered.setdefault(h.ref.title, h)
        for h in self.numbers:
            other = numbered.get(h.ref.title)
            verb = self.v[h.vstart - 2 : h.vstart]
            if h.ref.title_marked and other is not h and verb in _NOTICE_VERBS:
                h.ref.title, h.ref.title_marked, h.ref.forwards = None, False, [other.ref.key]
        dropped: dict[str, list[tuple[int, int]]] = {}  # title key -> spans it is dropped in
        for h in self.s.hits:
            for n, key in enumerate(h.ref.forwards):
                title = key.removeprefix("title:")
                m = _TITLE_ISSUERS.match(title)
                other = numbered.get(title) or (numbered.get(title[m.end(1):]) if m else None)
                if key.startswith("title:") and other is not None and other is not h:
                    h.ref.forwards[n] = other.ref.key
                    dropped.setdefault(key, []).append((h.vstart, h.vend))
        if dropped:  # one pass at the end, not one per forward
            self.s.hits = [x for x in self.s.hits if not any(
                a <= x.vstart < b for a, b in dropped.get(x.ref.key, ()))]

    def _plain(self, start: int, end: int) -> str:
        o_start, o_end = self.s.cleaned.span(start, end)
        return normalize.title(self.s.cleaned.original[o_start:o_end])

    def run(self) -> None:
        nodes = _titles(self.v)
        i = 0
        while i < len(nodes):
            group = [nodes[i]]
            while i + len(group) < len(nodes):
                nxt, last = nodes[i + len(group)], group[-1]
                if nxt.start == last.end or (nxt.start == last.end + 1 and self.v[last.end] in _SEPARATORS):
                    group.append(nxt)
                else:
                    break
            if self.v[max(0, group[0].start - 2) : group[0].start] in _NOTICE_VERBS and self.notice(group):
                i += len(group)
                continue
            self.node(nodes[i])
            i += 1
        self.plain_titles()
        self.forwarded_numbers()
        self.stated_issuers()


def _key_ambiguous(hits: list[_Hit]) -> None:
    """Key numbers with an ambiguous 代字 by their issuer (see issuers.doc_key), forwards too."""
    renamed = {}
    for h in hits:
        r = h.ref
        if r.kind == "文号" and (key := doc_key(r.doc_no, r.code, r.issuers)) != r.key:
            renamed[r.key], r.key = key, key
    if renamed:
        for h in hits:
            h.ref.forwards = [renamed.get(k, k) for k in h.ref.forwards]


def _own_codes(hits: list[_Hit], region: Region) -> None:
    """Give numbers whose 代字 is the region's own (壶财预 in 壶山) that issuer."""
    for h in hits:
        if h.ref.code and (row := resolve(h.ref.code, region)) and row.basis == "region":
            h.ref.code_issuer = row


def _scan(text: str, region: Region | None = None) -> _Scan:
    s = _Scan(clean(text), region)
    _scan_years(s)
    _scan_decrees(s)
    if s.hits or "《" in s.cleaned.text or "》" in s.cleaned.text:
        s.hits.sort(key=lambda h: h.vstart)
        _Resolver(s).run()
        _key_ambiguous(s.hits)
        if region is not None:
            _own_codes(s.hits, region)
    return s


def find_refs(text: str, region: Region | None = None) -> list[Reference]:
    """Every document reference in ``text``, in order of position; ``region`` is the
    disclosure's county and city (refs/region.py), whose own 代字 it resolves."""
    return sorted((h.ref for h in _scan(text, region).hits), key=lambda r: (r.start, r.end))


def rejected(text: str, region: Region | None = None) -> list[Rejection]:
    """Every 〔yyyy〕-like span in ``text`` that did not become a 文号, with the reason."""
    return _scan(text, region).rejections


def find_all(text: str, region: Region | None = None) -> tuple[list[Reference], list[Rejection]]:
    """``(find_refs(text), rejected(text))`` from one pass: half the work of calling both."""
    s = _scan(text, region)
    return sorted((h.ref for h in s.hits), key=lambda r: (r.start, r.end)), s.rejections
