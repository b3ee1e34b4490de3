"""Pages per second of graphbuild's PDF reader against `pdftotext -layout` (poppler-utils).

Renders the first N tables of the bundled sample in the official layout (the generator of
tests/fixtures), then times, in ONE run on the same file and best of R each, interleaved so
that load from other work falls on all of them alike:

* `pdftotext -layout` (text only, one process),
* graphbuild read_pdf with PDFium in one process and in one process per core,
* graphbuild read_pdf with pdfminer (pdfplumber) in one process (the engine before PDFium).

    .venv/bin/python -m benchmarks.pdf_speed [--tables 60] [--repeat 3] [--no-pdfminer]

Prints pages, seconds, pages/s, each reader's time over pdftotext's, and the load average
before and after. pdftotext only writes text; graphbuild reads the cell structure into
records.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from graphbuild.build import SAMPLE
from graphbuild.ingest import read_text
from graphbuild.ingest.pdf import read_pdf
from tests.fixtures.make_pdfs import render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdfminer", action="store_true", help="skip the slow engine")
    args = parser.parse_args()
    if not shutil.which("pdftotext"):
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "sample.pdf"
        pages = render(read_text(SAMPLE)[: args.tables], pdf)
        jobs = {
            "pdftotext -layout": lambda: subprocess.run(
                ["pdftotext", "-layout", str(pdf), str(Path(tmp) / "out.txt")], check=True),
            "read_pdf pdfium, 1 process": lambda: read_pdf(pdf, engine="pdfium", workers=1),
            f"read_pdf pdfium, {cores} processes": lambda: read_pdf(pdf, engine="pdfium",
                                                                     workers=cores),
        }
        if not args.no_pdfminer:
            jobs["read_pdf pdfminer, 1 process"] = lambda: read_pdf(pdf, engine="pdfplumber",
                                                                    workers=1)
        load = os.getloadavg()
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, job in jobs.items():
                start = time.perf_counter()
                job()
                times[name].append(time.perf_counter() - start)
        after = os.getloadavg()
    best = {name: min(t) for name, t in times.items()}
    base = best["pdftotext -layout"]
    print(f"{args.tables} tables, {pages} pages, best of {args.repeat}, {cores} cores; "
          f"load average {load[0]:.2f} before, {after[0]:.2f} after")
    print(f"{'reader':34} {'seconds':>8} {'pages/s':>8} {'× pdftotext':>11}")
    for name, t in best.items():
        print(f"{name:34} {t:8.2f} {pages / t:8.1f} {t / base:11.1f}")


if __name__ == "__main__":
    main()
