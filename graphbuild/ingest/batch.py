"""Read many inputs across cores: records in input order, progress by page, one-line errors.

A file that cannot be read (not a PDF, truncated, encrypted, scanned, malformed dump) is
reported as one line naming the file and place; the other files are still read.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from queue import Empty
from typing import Iterator

from ..records import ProjectRecord
from . import ParseError, read_file
from .pdf import is_pdf, page_count

_ticks = None  # the worker's end of the page queue


class Batch:
    """Iterate to read (one item per page or text file done); then `records`, `failures`."""

    def __init__(self, paths: list[Path], workers: int | None = None):
        self.paths = paths
        self.units = [_units(p) for p in paths]
        self.workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
        self.records: list[ProjectRecord] = []
        self.failures: list[str] = []

    def __len__(self) -> int:
        return sum(self.units)

    def __iter__(self) -> Iterator[int]:
        one_unit = len(self.paths) == 1 and self.units[0] == 1  # e.g. one text dump
        results = yield from (self._in_process() if one_unit else self._in_pool())
        for records, failure in results:
            self.records += records
            if failure:
                self.failures.append(failure)

    def _in_process(self) -> Iterator[int]:
        """A single text dump: read here, with no pool to start."""
        results = [_read(0, self.paths[0], lambda _n: None)]
        yield 0
        return results

    def _in_pool(self) -> Iterator[int]:
        ctx = mp.get_context("spawn")
        ticks = ctx.Queue()
        done = [0] * len(self.paths)
        results: list = [None] * len(self.paths)
        with ProcessPoolExecutor(self.workers, ctx, initializer=_init, initargs=(ticks,)) as pool:
            futures = {pool.submit(_read, i, p): i for i, p in enumerate(self.paths)}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                yield from self._drain(ticks, done)
                for fut in finished:
                    i = futures[fut]
                    results[i] = fut.result()
                    yield from self._drain(ticks, done)
                    while done[i] < self.units[i]:  # a failed file's unread pages
                        done[i] += 1
                        yield i
        return results

    def _drain(self, ticks, done: list[int]) -> Iterator[int]:
        while True:
            try:
                i = ticks.get_nowait()
            except Empty:
                return
            if done[i] < self.units[i]:
                done[i] += 1
                yield i


def _units(path: Path) -> int:
    """Progress units of a file: its pages for a PDF, 1 for a text dump."""
    try:
        return page_count(path) if is_pdf(path) else 1
    except Exception:  # a damaged PDF: its reader will say what is wrong
        return 1


def _init(ticks) -> None:
    global _ticks
    _ticks = ticks


def _read(i: int, path: Path, tick=None) -> tuple[list[ProjectRecord], str | None]:
    tick = tick or (lambda _n: _ticks.put(i))
    try:
        return read_file(path, tick), None
    except ParseError as err:
        return [], str(err)
    except OSError as err:
        return [], f"{path}:byte 0: {err.strerror or err}"
