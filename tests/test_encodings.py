"""The same disclosure in the encodings and forms portals publish gives the same records.

UTF-8 with and without BOM, UTF-16 with BOM, GB18030 and GBK (detected: UTF-8 first, then
GB18030), CRLF and CR line ends, full-width digits and letters: every record equal to the
bundled sample's, field by field (only the provenance `source` differs). A file in none of
these is a one-line ParseError naming the file, line and byte.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import asdict

import pytest

from graphbuild.ingest import ParseError, read_text
from graphbuild.ingest.text import decode
from graphbuild.refs import find_refs

from .conftest import ROOT, SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")
FULL_WIDTH = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)},
                            **{chr(0x41 + i): chr(0xFF21 + i) for i in range(26)},
                            **{chr(0x61 + i): chr(0xFF41 + i) for i in range(26)}})
# Full-width punctuation the tables print, in its half-width form (a dump made by a tool
# that "normalises" width). Records then differ only in those characters.
HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "％": "%"})

VARIANTS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: t.encode("utf-8-sig"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "gbk, CRLF": lambda t: t.replace("\n", "\r\n").encode("gbk"),
    "utf-8 with BOM, CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"),
    "full-width digits and letters": lambda t: t.translate(FULL_WIDTH).encode("utf-8"),
    "full-width, gb18030, CRLF": lambda t: t.translate(FULL_WIDTH).replace("\n", "\r\n")
    .encode("gb18030"),
    "ideographic spaces": lambda t: t.replace(" ", "\u3000").encode("utf-8"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "utf-16-be without BOM, CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-16-be"),
}


def rows(records) -> list[dict]:
    out = []
    for rec in records:
        row = asdict(rec)
        del row["source"]
        out.append(row)
    return out


@pytest.fixture(scope="module")
def expected(records):
    return rows(records)


def write(tmp_path, name: str, raw: bytes):
    folder = tmp_path / re.sub(r"\W+", "-", name)
    folder.mkdir()
    path = folder / SAMPLE.name  # same stem, so the same record ids
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("name", VARIANTS)
def test_every_variant_gives_the_sample_records(tmp_path, expected, name):
    path = write(tmp_path, name, VARIANTS[name](TEXT))
    got = read_text(path)
    assert all(r.source == str(path) for r in got)
    got = rows(got)
    assert len(got) == len(expected) == 447
    for mine, theirs in zip(got, expected):
        for key in theirs:  # field by field, so a failure names the field
            assert mine[key] == theirs[key], (name, theirs["id"], key)


def test_half_width_punctuation_gives_the_same_tables_and_citations(tmp_path, records):
    """（）：，；％ printed half-width: the same tables, numbers and citations; the text
    differs only in those characters."""
    path = write(tmp_path, "half", TEXT.translate(HALF_WIDTH).encode("utf-8"))
    got = read_text(path)
    assert len(got) == len(records)
    fold = lambda value: (value.translate(HALF_WIDTH) if isinstance(value, str) else
                          [fold(v) for v in value] if isinstance(value, list) else
                          {k: fold(v) for k, v in value.items()} if isinstance(value, dict)
                          else value)
    for mine, theirs in zip(rows(got), rows(records)):
        for key in theirs:
            assert mine[key] == fold(theirs[key]), (theirs["id"], key)
    for mine, theirs in zip(got, records):
        assert (mine.year, mine.funds_total, mine.dept_code) == (
            theirs.year, theirs.funds_total, theirs.dept_code)
        for field, text in theirs.fields.items():
            keys = [r.key for r in find_refs(text)]
            assert [r.key for r in find_refs(mine.fields[field])] == keys, (theirs.id, field)


def test_the_sample_is_built_the_same_from_gbk_through_the_cli(tmp_path):
    path = write(tmp_path, "cli", TEXT.replace("\n", "\r\n").encode("gbk"))
    proc = subprocess.run([sys.executable, "-m", "graphbuild", "build", str(path),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(r"Project\s*│\s*447", proc.stdout), proc.stdout[:2000]


# --- neither: one line naming the file, line and byte ------------------------------------

def one_line_error(path) -> str:
    with pytest.raises(ParseError) as info:
        read_text(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:"), message
    return message


def test_latin1_is_neither(tmp_path):
    raw = "项目支出绩效目标表\n第二行\n".encode("utf-8") + "caf\xe9 cr\xe8me\n".encode("latin-1")
    path = tmp_path / "latin1.txt"
    path.write_bytes(raw)
    message = one_line_error(path)
    at = raw.index(b"caf\xe9") + 3
    assert message == (f"{path}:3: not text in UTF-8, UTF-16, GB18030 or Big5 "
                       f"(byte {at}: invalid continuation byte)")


def test_binary_is_neither(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert one_line_error(path) == f"{path}:1: not text in UTF-8, UTF-16, GB18030 or Big5 " \
        "(byte 0: invalid start byte)"


def test_one_bad_byte_in_utf8_names_its_line_and_byte(tmp_path):
    raw = TEXT.encode("utf-8")
    at = raw.index("实施期资金总额".encode("utf-8"), 5000)
    raw = raw[:at] + b"\xff" + raw[at:]
    path = tmp_path / "stray.txt"
    path.write_bytes(raw)
    line = raw[:at].count(b"\n") + 1
    assert one_line_error(path) == (f"{path}:{line}: not text in UTF-8, UTF-16, GB18030 or Big5 "
                                    f"(byte {at}: invalid start byte)")


def test_bad_bytes_after_a_bom_name_their_line(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "一\n二\n".encode("utf-8") + b"\xc3(\n")
    assert one_line_error(path) == (f"{path}:3: not UTF-8 text after its byte-order mark "
                                    "(byte 11: invalid continuation byte)")


def test_gb18030_text_without_tables_is_not_taken_for_chinese(tmp_path):
    """Bytes that happen to decode as GB18030 but hold no table: named as not UTF-8."""
    path = tmp_path / "latin1-prose.txt"
    path.write_bytes("Caf\xe9s \xe9t\xe9 \xe0 Paris.\n".encode("latin-1"))
    assert "not text in UTF-8, UTF-16, GB18030 or Big5 (byte 3:" in one_line_error(path)


def test_decode_prefers_utf8():
    text = "项目支出绩效目标表 晋财教〔2023〕81号"
    assert decode(text.encode("utf-8"), "x") == text
    assert decode(text.encode("gb18030"), "x") == text
    assert decode(text.encode("utf-16-be"), "x") == text  # no BOM: told by its zero bytes
    assert decode(text.encode("utf-16-le"), "x") == text


def test_big5_traditional_script_reads_every_table(tmp_path, records):
    """The sample in traditional script and Big5 (as Taiwan and Hong Kong portals publish):
    every table is found by its traditional labels, with the same money and codes."""
    import opencc

    traditional = opencc.OpenCC("s2t").convert(TEXT)
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5hkscs", errors="replace"))
    got = read_text(path)
    assert len(got) == len(records) == 447
    assert [(r.dept_code, r.funds_total, r.funds_annual) for r in got] == \
        [(r.dept_code, r.funds_total, r.funds_annual) for r in records]
    assert got[0].name == "襄垣縣十七屆人大四次會議"
