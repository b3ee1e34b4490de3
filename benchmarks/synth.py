"""Synthetic disclosures at any multiple of the bundled sample, for scale benchmarks.

The bundled dump (襄垣县 2024, 447 tables) is the template. Every synthetic file is one
county-year: the sample's 447 tables in a shuffled order, re-written for that county, so
the layout (labels split over lines, text broken mid-word, page footers, interleaved
columns) and the distribution of references per table are the sample's own:

- the county name (襄垣 → its own) and its 代字 (襄财预 → 屯财预 …), so every county has its
  own departments, units and county documents; departments keep the sample's codes (001 …)
  as real disclosures do;
- the city (长治 → another city of the province) and the city 代字 (长财 → 同财 …) for
  counties outside 长治;
- the year: the title's （2024年度）, and the years of the county's and city's own documents,
  move with the disclosure year; national and provincial directives stay as they are, so
  they are shared by every county and year;
- forwarding chains: in each file, a few tables' 立项依据 gain a county notice forwarding a
  city notice forwarding a provincial document taken from the sample
  (《X县财政局关于转发<Y市财政局关于转发<山西省…>的通知>的通知》（X财预〔2023〕12号）); the city
  notice is shared by the counties of that city; the sentence is wrapped at 60 characters
  like the dump, so it may break inside a title or a number.

Scale N writes N files (N × 447 tables) laid out as counties × years
(1: 1 × 1, 10: 5 × 2, 100: 25 × 4, 1000: 200 × 5). County 0 is 襄垣 itself.

graphbuild/data/issuers.tsv holds 襄垣's and 长治's 代字 but not the made-up counties'; the
finder learns each file's county and city from its departments (graphbuild/refs/region.py),
so 屯财预〔2023〕12号 resolves to 屯留县财政局 the way 襄财预 does to 襄垣县财政局.

    python -m benchmarks.synth --scale 10 --out /tmp/synth-10 [--seed 0]

writes the files and manifest.json (files, tables, counties, years, prefixes).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

SAMPLE = (Path(__file__).resolve().parent.parent / "data" / "xiangyuan-2024"
          / "xiangyuan-2024.txt")
TITLE_MARK = "项目支出绩效目标表"
SAMPLE_YEAR = 2024
WRAP = 60
CHAINS_PER_FILE = 8
TABLES_PER_CHAIN = (2, 6)

# Cities of the province with the 代字 prefix their documents use. 长治 (长) is the sample's.
CITIES = (("长治", "长"), ("大同", "同"), ("阳泉", "泉"), ("朔州", "朔"), ("忻州", "忻"),
          ("吕梁", "吕"), ("临汾", "临"), ("运城", "运"), ("晋城", "泽"), ("太原", "并"))
# Characters for made-up county names; the first is the county's 代字. None is the first
# character of a prefix in issuers.tsv, a city prefix above, or a word the finder treats
# as the end of a code.
_NAME_CHARS = ("屯沁黎壶榆昔寿祁介灵汾孝蒲隰霍洪浮翼闻绛稷芮猗岚岢偏怀应浑繁崞盂静"
               "娄兴临岳陵丹稻桑柳杏梅枣桃榛槐楸柏杉桐椿栎枫荆蓟苇荻菱蒿芷蘅莼蕙兰"
               "茗茜芸菡萍藻蕃蓬葛藤蔓蕉莲荷苓芹韭葵薯粟黍稷秫麦菽禾稔穗秋冬春夏澄"
               "泓淇漳滏洺沣浍涑沇汭洧溱渑潍淄濉泗沭涟滁淮颍汝泌淅湍淯滍澧沅湘资辰")
_SECOND_CHARS = "原川山水泉峪岭庄阳源平安宁和丰乐泰兴昌"


@dataclass
class County:
    name: str  # 屯留 (without 县)
    prefix: str  # 屯
    city: str
    city_prefix: str


@dataclass
class Manifest:
    scale: int
    seed: int
    files: list[str] = field(default_factory=list)
    tables_per_file: int = 0
    tables: int = 0
    counties: list[dict] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    chains: int = 0  # forwarding sentences inserted
    bytes: int = 0
    seconds: float = 0.0

    def save(self, out: Path) -> Path:
        path = out / "manifest.json"
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), "utf-8")
        return path


def layout(scale: int) -> tuple[int, int]:
    """(counties, years) for a scale: 1 → 1×1, 10 → 5×2, 100 → 25×4, 1000 → 200×5."""
    years = 1 if scale < 2 else 2 if scale < 50 else 4 if scale < 500 else 5
    return math.ceil(scale / years), years


def counties(n: int, seed: int = 0) -> list[County]:
    """n counties; the first is 襄垣 (长治), the rest made up, with distinct 代字 and names
    (each name is a file name)."""
    rng = random.Random(seed)
    out = [County("襄垣", "襄", "长治", "长")]
    taken = {"襄垣"}
    chars = list(dict.fromkeys(_NAME_CHARS))
    rng.shuffle(chars)
    for i in range(1, n):
        first = chars[(i - 1) % len(chars)]
        # past the pool, a second character keeps the 代字 distinct (屯 → 屯原)
        prefix = first if i - 1 < len(chars) else first + _SECOND_CHARS[
            ((i - 1) // len(chars) - 1) % len(_SECOND_CHARS)]
        name, k = prefix if len(prefix) > 1 else "", i
        while not name or name in taken:  # 资原 (代字 资原) is not 资原 (资 + 原)
            name, k = prefix + _SECOND_CHARS[k % len(_SECOND_CHARS)], k + 1
        taken.add(name)
        city, city_prefix = CITIES[i % len(CITIES)]
        out.append(County(name, prefix, city, city_prefix))
    return out


def split_tables(text: str) -> list[list[str]]:
    """The sample's tables as raw lines (footers included), split at each title line."""
    tables: list[list[str]] = []
    for line in text.splitlines():
        if TITLE_MARK in line and len(line.strip()) < 40:
            tables.append([])
        if tables:
            tables[-1].append(line)
    return tables


_BRACKET_YEAR = r"(\s*[〔\[（(【]\s*)(\d{4})"


class _Rewriter:
    """Re-writes one sample table for a county and year."""

    def __init__(self, county: County, year: int):
        self.c, self.dy = county, year - SAMPLE_YEAR
        self.year = year
        # a 代字 that starts with the county's or the city's prefix, then its year
        rest = county.name[len(county.prefix):]
        not_name = f"(?!{re.escape(rest)})" if rest else ""  # 屯原县人民政府（2023年 is no code
        self._county_code = re.compile(f"({re.escape(county.prefix)}{not_name}"
                                       f"[\u4e00-\u9fa5]{{0,10}})" + _BRACKET_YEAR)
        self._city_code = re.compile(r"长(?=[\u4e00-\u9fa5]{1,10}\s*[〔\[（(【]\s*\d{4})")

    def __call__(self, text: str) -> str:
        c = self.c
        if c.name != "襄垣":
            text = text.replace("襄垣", c.name).replace("襄", c.prefix)
        if c.city != "长治":
            text = self._city_code.sub(c.city_prefix, text.replace("长治", c.city))
        if self.dy:
            text = re.sub(r"（\s*2024\s*年度\s*）", f"（{self.year}年度）", text)
            text = self._county_code.sub(self._shift, text)
            city = re.compile(f"({re.escape(c.city_prefix)}[\u4e00-\u9fa5]{{0,10}})" + _BRACKET_YEAR)
            text = city.sub(self._shift, text)
        return text

    def _shift(self, m: re.Match) -> str:
        y = int(m.group(3)) + self.dy
        return f"{m.group(1)}{m.group(2)}{y if 1990 <= y <= self.year else m.group(3)}"


def provincial_titles(text: str) -> list[str]:
    """Titles of provincial documents in the sample (《山西省…通知》), for forwarding chains."""
    found = re.findall(r"《(山西省[^《》<>〈〉\n]{4,60}?(?:通知|办法|意见|方案))》", text)
    return sorted(set(found))


def wrap(text: str, width: int = WRAP) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def _insert_basis(table: list[str], sentence: str) -> list[str]:
    """The table with `sentence` (wrapped) at the end of its 立项依据 text."""
    at = next(i for i, line in enumerate(table) if line.strip().startswith("项目设立"))
    return table[:at] + wrap(sentence) + table[at:]


def _chain_sentence(county: County, year: int, k: int, prov: str, rng: random.Random) -> str:
    kinds = ("预", "教", "农", "社", "建", "行")
    kind = kinds[k % len(kinds)]
    # the city notice: same number for every county of the city in that year
    city_no = f"{county.city_prefix}财{kind}〔{year - 1}〕{(hash_str(county.city + prov) % 90) + 10}号"
    city_title = f"{county.city}市财政局关于转发<{prov}>的通知"
    county_no = f"{county.prefix}财{kind}〔{year}〕{k + 1 + rng.randrange(0, 3) * 20}号"
    lead = rng.choice(("根据", "依据", "按照"))
    return (f"{lead}《{county.name}县财政局关于转发<{city_title}>的通知》（{county_no}）和"
            f"{county.city}市财政局（{city_no}）文件精神设立本项目。")


def hash_str(s: str) -> int:
    """A stable small hash (str hash is salted per process)."""
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1_000_003
    return h


def generate(out: str | Path, scale: int = 1, seed: int = 0, sample: Path = SAMPLE,
             progress=None) -> Manifest:
    """Write `scale` county-year dumps (each the sample's table count) into `out`."""
    start = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    text = sample.read_text("utf-8-sig")
    tables = split_tables(text)
    provs = provincial_titles(text)
    n_counties, n_years = layout(scale)
    cs = counties(n_counties, seed)
    years = list(range(SAMPLE_YEAR - n_years + 1, SAMPLE_YEAR + 1))
    m = Manifest(scale, seed, tables_per_file=len(tables), years=years,
                 counties=[asdict(c) for c in cs])
    pairs = [(c, y) for c in cs for y in reversed(years)][:scale]
    for i, (c, year) in enumerate(pairs):
        rng = random.Random(f"{seed}/{c.name}/{year}")
        order = list(range(len(tables)))
        if i:  # file 0 keeps the sample's order
            rng.shuffle(order)
        body = [list(tables[j]) for j in order]
        for k in range(CHAINS_PER_FILE):
            sentence = _chain_sentence(c, year, k, provs[rng.randrange(len(provs))], rng)
            for j in rng.sample(range(len(body)), rng.randint(*TABLES_PER_CHAIN)):
                body[j] = _insert_basis(body[j], sentence)
                m.chains += 1
        rewrite = _Rewriter(c, year)
        dump = rewrite("\n".join(line for t in body for line in t) + "\n")
        path = out / f"{c.name}县-{year}.txt"
        path.write_text(dump, "utf-8")
        m.files.append(path.name)
        m.tables += len(body)
        m.bytes += path.stat().st_size
        if progress:
            progress(i + 1, len(pairs))
    m.seconds = round(time.perf_counter() - start, 2)
    m.save(out)
    return m


def load_manifest(folder: str | Path) -> Manifest:
    data = json.loads((Path(folder) / "manifest.json").read_text("utf-8"))
    return Manifest(**data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="multiple of the sample (files)")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    m = generate(args.out, args.scale, args.seed,
                 progress=lambda i, n: print(f"\r{i}/{n} files", end="", file=sys.stderr))
    print(file=sys.stderr)
    print(f"{len(m.files)} files, {m.tables} tables, {len(m.counties)} counties × "
          f"{len(m.years)} years, {m.chains} forwarding sentences, {m.bytes / 1e6:.1f} MB "
          f"in {m.seconds} s → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
