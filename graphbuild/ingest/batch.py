"""Read many inputs across cores, one file's records at a time, in input order.

A file that cannot be read (not a PDF, truncated, encrypted, malformed dump), or a table
in it, is reported as one line naming the file and place; the other files and tables are
still read. At most
a few files are in flight at once, so memory does not grow with the number of inputs.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from queue import Empty
from typing import Callable, Iterator

from ..records import ProjectRecord
from . import ParseError, read_file
from .pdf import is_pdf, page_count

_ticks = None  # the worker's end of the page queue

Then = Callable[[list[ProjectRecord]], object]
OnFile = Callable[[list[ProjectRecord], object], None]


class Batch:
    """Iterate to read (one item per page or text file done). Each file's records, and
    what `then(records)` made of them in the worker, go to `on_file` in input order."""

    def __init__(self, paths: list[Path], then: Then, on_file: OnFile,
                 workers: int | None = None):
        self.paths = paths
        self.on_file = on_file
        self.then = then
        self.units = [_units(p) for p in paths]
        self.workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
        self.failures: list[str] = []

    def __len__(self) -> int:
        return sum(self.units)

    def __iter__(self) -> Iterator[int]:
        one_unit = len(self.paths) == 1 and self.units[0] == 1  # e.g. one text dump
        return self._in_process() if one_unit else self._in_pool()

    def _deliver(self, result: tuple[list[ProjectRecord], object, list[str]]) -> None:
        records, made, failures = result
        self.failures += failures
        if records:
            self.on_file(records, made)

    def _in_process(self) -> Iterator[int]:
        """A single text dump: read here, with no pool to start."""
        self._deliver(_read(0, self.paths[0], self.then, lambda _n: None))
        yield 0

    def _in_pool(self) -> Iterator[int]:
        ctx = mp.get_context("spawn")
        ticks = ctx.Queue()
        done = [0] * len(self.paths)
        ready: dict[int, tuple] = {}
        submitted = delivered = 0
        window = 2 * self.workers
        with ProcessPoolExecutor(self.workers, ctx, initializer=_init, initargs=(ticks,)) as pool:
            running: dict = {}
            while delivered < len(self.paths):
                while submitted < min(len(self.paths), delivered + window):
                    fut = pool.submit(_read, submitted, self.paths[submitted], self.then,
                                      None, 1 if len(self.paths) > 1 else None)
                    running[fut] = submitted
                    submitted += 1
                finished, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
                yield from self._drain(ticks, done)
                for fut in finished:
                    i = running.pop(fut)
                    ready[i] = fut.result()
                    yield from self._drain(ticks, done)
                    while done[i] < self.units[i]:  # a failed file's unread pages
                        done[i] += 1
                        yield i
                while delivered in ready:
                    self._deliver(ready.pop(delivered))
                    delivered += 1

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


def _read(i: int, path: Path, then: Then, tick=None, pdf_workers: int | None = None
          ) -> tuple[list[ProjectRecord], object, list[str]]:
    """A file's records, what `then` made of them, and one line per file or table that
    could not be read. `pdf_workers`: 1 when several files share the cores (a PDF then
    starts no page pool of its own), None for read_pdf's default."""
    tick = tick or (lambda _n: _ticks.put(i))
    problems: list[str] = []
    try:
        records = read_file(path, tick, problems, workers=pdf_workers)
    except ParseError as err:
        return [], None, [str(err)]
    except OSError as err:
        return [], None, [f"{path}:byte 0: {err.strerror or err}"]
    return records, then(records), problems
