"""Hostile input: mutated tables from the sample into the text parser and the citation finder.

Every mutated input either gives records (whose references point inside the text) or a
ParseError whose one-line message starts with "<file>:<line>: " for a line of the file.
Nothing else may escape, and nothing may hang: each example runs under an alarm.

The runs are reproducible (derandomize=True, no example database). More examples:
GRAPHBUILD_FUZZ=10 pytest tests/test_fuzz.py  (a multiplier on every max_examples); add
GRAPHBUILD_FUZZ_RANDOM=1 for fresh random examples; --hypothesis-show-statistics for outcomes.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graphbuild.ingest import ParseError, parse_text, read_text
from graphbuild.refs import find_all, find_refs, rejected

from .conftest import ROOT, SAMPLE

SCALE = float(os.environ.get("GRAPHBUILD_FUZZ", "1"))
FIXED = os.environ.get("GRAPHBUILD_FUZZ_RANDOM") != "1"  # 1: a new random run each time
EXAMPLE_SECONDS = 20  # one example; the slowest seen takes well under a second
KINDS = {"文号", "令", "会议纪要", "标题"}

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
STARTS = [i for i, line in enumerate(LINES) if "项目支出绩效目标表" in line] + [len(LINES)]
FIELD_TEXTS = None  # narrative fields of the sample that cite something, filled on first use


def fuzz_settings(examples: int):
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None,
                    derandomize=FIXED, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


@contextmanager
def time_limit(seconds: int):
    """A hang becomes a test failure instead of a stuck run."""
    def expire(_signum, _frame):
        raise TimeoutError(f"no result in {seconds}s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- mutations ---------------------------------------------------------------------------

CONTROL = [chr(c) for c in range(32) if c != 10] + ["\x7f", "\x85", "\u2028", "\u2029",
                                                    "\ufeff", "\u200b", "\u3000"]
# Very long lines: a real line repeated, and runs of what the finder keys on.
LONG_PIECES = ["《", "》", "〈", "〉", "〔2023〕", "〔2023〕1号", "（", "关于印发《", "晋财教",
               "令第1号", "第2次会议纪要", "1", " ", "、", "x"]

index = st.integers(0, 10**6)
mutation = st.one_of(
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("duplicate"), index),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("cut"), st.integers(0, 10**6)),
    st.tuples(st.just("control"), index, index, st.sampled_from(CONTROL)),
    st.tuples(st.just("surrogate"), index, index, st.integers(0xD800, 0xDFFF)),
    st.tuples(st.just("long"), index, st.sampled_from(["line", *LONG_PIECES]),
              st.integers(100, 30_000)),
    st.tuples(st.just("text"), index, index, st.text(max_size=30)),
)


def mutate(lines: list[str], ops) -> str:
    lines = list(lines) or [""]
    for op, *args in ops:
        i = args[0] % len(lines) if op != "cut" else 0
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = args[1] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            text = "\n".join(lines)
            lines = text[: args[0] * len(text) // 10**6].split("\n")
        elif op in ("control", "surrogate", "text"):
            line = lines[i]
            at = args[1] % (len(line) + 1)
            piece = chr(args[2]) if op == "surrogate" else args[2]
            lines[i] = line[:at] + piece + line[at:]
        elif op == "long":
            piece, times = args[1], args[2]
            base = (lines[i][:200] or "x") if piece == "line" else piece
            lines.insert(i, base * max(1, times * 8 // len(base)))
    return "\n".join(lines)


tables = st.tuples(st.integers(0, len(STARTS) - 2), st.integers(1, 3))


def sample_tables(first: int, count: int) -> list[str]:
    return LINES[STARTS[first]: STARTS[min(first + count, len(STARTS) - 1)]]


# --- what must hold ------------------------------------------------------------------------

def check_refs(text: str) -> None:
    refs, rejections = find_all(text)
    assert [(r.start, r.end) for r in refs] == sorted((r.start, r.end) for r in refs)
    for r in refs:
        assert 0 <= r.start < r.end <= len(text), r
        assert text[r.start:r.end] == r.surface, r
        assert r.key and r.kind in KINDS, r
    for r in rejections:
        assert 0 <= r.start < r.end <= len(text), r
        assert text[r.start:r.end] == r.surface and r.reason, r


def check_parse(text: str, source: str = "fuzz.txt") -> list:
    """Records, or a ParseError '<source>:<line>: …' on one line naming a line of the text."""
    lines = len(re.split(r"\r\n|\r|\n", text))
    try:
        records = parse_text(text, source)
    except ParseError as err:
        message = str(err)
        m = re.match(re.escape(source) + r":(\d+): \S", message)
        assert m, message[:300]
        assert 1 <= int(m.group(1)) <= lines, message[:300]
        assert "\n" not in message and "\r" not in message and len(message) < 1000, message[:300]
        event("ParseError: " + re.sub(r"'.*|\d+", "", message.split(": ", 1)[1])[:40])
        return []
    event("records")
    assert records
    for rec in records:
        assert 1 <= rec.line <= lines
        assert rec.id == f"fuzz#{rec.ordinal}"
        for value in rec.fields.values():
            if value:
                check_refs(value)
    return records


# --- the fuzz tests ------------------------------------------------------------------------

@fuzz_settings(1000)
@given(tables, st.lists(mutation, min_size=1, max_size=6))
def test_mutated_tables_parse_or_fail_with_file_and_line(where, ops):
    text = mutate(sample_tables(*where), ops)
    with time_limit(EXAMPLE_SECONDS):
        check_parse(text)


@fuzz_settings(300)
@given(tables, st.lists(mutation, min_size=1, max_size=4))
def test_finder_on_a_whole_mutated_dump(where, ops):
    """The finder never sees a whole dump in a build; it must cope anyway."""
    text = mutate(sample_tables(*where), ops)
    with time_limit(EXAMPLE_SECONDS):
        check_refs(text)


def field_texts() -> list[str]:
    global FIELD_TEXTS
    if FIELD_TEXTS is None:
        FIELD_TEXTS = [v for rec in read_text(SAMPLE) for v in rec.fields.values()
                       if v and ("〔" in v or "《" in v)]
    return FIELD_TEXTS


edit = st.one_of(
    st.tuples(st.just("insert"), index, st.sampled_from(
        ["《", "》", "〈", "〉", "〔", "〕", "（", "）", "(", ")", "【", "】", "号", "第", "令",
         "、", "关于", "印发", "转发", "的通知", "年", "次", "\n", " ", "\u3000", "０", "９"])),
    st.tuples(st.just("insert"), index, st.sampled_from(CONTROL)),
    st.tuples(st.just("insert"), index, st.integers(0xD800, 0xDFFF).map(chr)),
    st.tuples(st.just("insert"), index, st.from_regex(r"[0-9]{1,7}", fullmatch=True)),
    st.tuples(st.just("insert"), index, st.text(max_size=8)),
    st.tuples(st.just("delete"), index, st.integers(1, 20)),
    st.tuples(st.just("repeat"), index, st.integers(1, 40), st.integers(2, 200)),
    st.tuples(st.just("cut"), index),
)


def edit_text(text: str, ops) -> str:
    for op, *args in ops:
        at = args[0] % (len(text) + 1)
        if op == "insert":
            text = text[:at] + args[1] + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + args[1]:]
        elif op == "repeat":
            text = text[:at] + text[at:at + args[1]] * args[2] + text[at:]
        elif op == "cut":
            text = text[:at]
    return text


@fuzz_settings(1500)
@given(st.integers(0, 10**6), st.lists(edit, min_size=1, max_size=8))
def test_finder_on_edited_citing_fields(which, ops):
    texts = field_texts()
    text = edit_text(texts[which % len(texts)], ops)
    with time_limit(EXAMPLE_SECONDS):
        check_refs(text)
        refs, rejections = find_all(text)
        assert find_refs(text) == refs and rejected(text) == rejections


@fuzz_settings(400)
@given(tables, st.lists(st.tuples(index, st.binary(min_size=1, max_size=4)), max_size=4),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), st.integers(0, 10**6))
def test_damaged_bytes_read_or_fail_with_file_and_line(tmp_path_factory, where, inserts,
                                                       encoding, cut):
    """Files on disk: any encoding, stray bytes, cut anywhere (even inside a character)."""
    raw = bytearray("\n".join(sample_tables(*where)).encode(encoding))
    for at, junk in inserts:
        at %= len(raw) + 1
        raw[at:at] = junk
    raw = bytes(raw[: max(1, cut * len(raw) // 10**6)] if cut % 3 == 0 else raw)
    path = tmp_path_factory.mktemp("bytes") / "damaged.txt"
    path.write_bytes(raw)
    with time_limit(EXAMPLE_SECONDS):
        try:
            records = read_text(path)
        except ParseError as err:
            m = re.match(re.escape(str(path)) + r":(\d+): \S", str(err))
            assert m and "\n" not in str(err) and len(str(err)) < 1000, str(err)[:300]
            assert 1 <= int(m.group(1)) <= raw.count(b"\n") + raw.count(b"\n\x00") + 1
            event("ParseError: " + re.sub(r"'.*|\d+", "", str(err).split(": ", 1)[1])[:30])
        else:
            assert records and all(r.source == str(path) for r in records)
            event(f"records ({encoding})")


# --- 50 MB of junk, in bounded time ---------------------------------------------------------

JUNK_MB = 50
JUNK_SECONDS = 600  # generous: a linear pass takes about a minute on a slow machine

JUNK_SCRIPT = textwrap.dedent("""
    import random, sys, time
    from pathlib import Path
    from graphbuild.ingest import ParseError, read_text
    from graphbuild.refs import find_all

    sample = Path(sys.argv[1]).read_text(encoding="utf-8")
    path, mb, kind = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(8)
    cjk = [c for c in sample if "\\u4e00" <= c <= "\\u9fff"]
    tokens = ["《", "》", "〈", "〉", "〔", "〕", "（", "）", "〔2023〕", "〔2023〕1号", "号", "第",
              "关于", "印发《", "转发", "的通知", "晋财教", "令第3号", "会议纪要", "、", "，", "。",
              " ", "\\x00", "\\x1f", "\\u2028", "2023", "12", "年", "-", "县", "政府办公室"]

    def soup(n):
        out = []
        while n > 0:
            piece = "".join(rng.choices(tokens, k=64)) + "".join(rng.choices(cjk, k=64))
            piece += "\\n" if rng.random() < 0.9 else ""
            out.append(piece)
            n -= len(piece.encode("utf-8"))
        return "".join(out)

    target = mb * 1024 * 1024
    if kind == "soup":  # no structure at all, one 5 MB line in the middle
        text = soup(target // 2) + "x" * (5 * 1024 * 1024) + soup(target // 2)
    else:  # every table of the sample; narrative, goals and indicators stuffed with junk
        labels = ("概况", "依据", "必要性", "制度、措施", "计划", "目标")
        stuff = lambda line: line.strip() in labels or line.startswith("数量指标")
        lines, out = sample.split("\\n"), []
        per_label = target // sum(map(stuff, lines))
        for line in lines:
            out.append(line)
            if stuff(line):
                out.append(soup(per_label).replace("项目", "").strip())
        text = "\\n".join(out)
    path.write_bytes(text.encode("utf-8"))
    size = path.stat().st_size
    started = time.monotonic()
    try:
        records = read_text(path)
    except ParseError as err:
        records, outcome = [], f"ParseError {str(err)[:200]}"
    else:
        outcome = f"{len(records)} records"
    parsed = time.monotonic() - started
    refs = 0
    if records:
        for rec in records:
            for value in rec.fields.values():
                refs += len(find_all(value)[0]) if value else 0
    else:
        refs = len(find_all(text)[0])
    print(f"{kind}: {size / 2**20:.1f} MB, {outcome}, parse {parsed:.1f}s, "
          f"{refs} references, total {time.monotonic() - started:.1f}s")
""")


@pytest.mark.parametrize("kind", ["soup", "stuffed"])
def test_50_mb_of_junk_in_bounded_time(tmp_path, kind):
    path = tmp_path / f"junk-{kind}.txt"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", JUNK_SCRIPT, str(SAMPLE), str(path), str(JUNK_MB), kind],
            capture_output=True, text=True, timeout=JUNK_SECONDS, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{JUNK_MB} MB of junk ({kind}) not parsed and searched in {JUNK_SECONDS}s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    print(proc.stdout)
    assert path.stat().st_size >= JUNK_MB * 2**20 * 0.95
    assert (" records," in proc.stdout) if kind == "stuffed" else ("ParseError" in proc.stdout)
