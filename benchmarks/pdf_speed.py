"""Pages per second of graphbuild's PDF reader against `pdftotext -layout` (poppler-utils).

Renders the first N tables of the bundled sample in the official layout (the generator of
tests/fixtures), then times both on the same file, best of R runs:

    .venv/bin/python -m benchmarks.pdf_speed [--tables 60] [--repeat 3]

pdftotext only writes text; graphbuild reads the cell structure into records.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from graphbuild.build import SAMPLE
from graphbuild.ingest import read_pdf, read_text
from tests.fixtures.make_pdfs import render


def best_of(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("pdftotext"):
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "sample.pdf"
        pages = render(read_text(SAMPLE)[: args.tables], pdf)
        ours = best_of(args.repeat, lambda: read_pdf(pdf))
        poppler = best_of(args.repeat, lambda: subprocess.run(
            ["pdftotext", "-layout", str(pdf), str(Path(tmp) / "out.txt")], check=True))
    print(f"{args.tables} tables, {pages} pages, best of {args.repeat}")
    print(f"graphbuild read_pdf     {pages / ours:8.1f} pages/s  ({ours:.2f} s)")
    print(f"pdftotext -layout       {pages / poppler:8.1f} pages/s  ({poppler:.2f} s)")
    print(f"ratio graphbuild / pdftotext: {poppler / ours:.3f} (pdftotext is {ours / poppler:.0f}x faster)")


if __name__ == "__main__":
    main()
