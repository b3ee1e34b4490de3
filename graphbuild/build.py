"""The main job: inputs -> records -> citations -> graph in the store -> exports and page.

The build streams: each file's records and citations are written into graph.db as the
file comes (read and searched for citations in worker processes), then dropped; the
exports and the page read the store. Memory grows with the number of documents, not of
tables, and no whole graph is held at any point.
"""
from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from . import export, queries, store, viz
from .citations import Citation, Rejected, extract
from .graph import GraphBuilder
from .ingest import is_pdf
from .ingest.batch import Batch
from .ingest.repeats import Repeats
from .records import ProjectRecord

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "xiangyuan-2024" / "xiangyuan-2024.txt"
STORE_NAME = "graph.db"
OVERVIEW_DOCUMENTS = 200  # documents drawn on graph.html
OVERVIEW_PROJECTS = 5000  # at most, of those citing them (pyvis slows as the square of nodes)

Step = Callable[[str, Iterable], Iterable]


@dataclass
class BuildResult:
    """What a build produced, for the summary and the tests; the graph is in `store`."""

    store: Path
    tables: int = 0
    funds_total: float = 0.0  # 实施期资金总额 of every table
    rejected_spans: int = 0  # 〔yyyy〕 spans not taken as a 文号, listed in rejected.json
    counts: dict[str, int] = field(default_factory=dict)  # nodes per label, edges per type
    files: dict[str, Path] = field(default_factory=dict)
    duplicates: dict[str, list[list[str]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # one line per unreadable file

    def top_documents(self, limit: int = 10) -> list[dict]:
        """queries.top_documents, reading only the Document nodes."""
        return queries.top_documents(store.load(self.store, labels=("Document",)), limit)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph, loaded from the store: for small builds."""
        return store.load(self.store)


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, folders (their *.txt, *.pdf and other PDFs) and globs, in a stable order."""
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths += sorted(f for f in p.iterdir() if f.is_file() and (
                f.suffix.lower() in (".txt", ".pdf") or is_pdf(f)))
        elif any(ch in item for ch in "*?["):
            paths += sorted(Path(f) for f in glob.glob(item) if Path(f).is_file())
        elif p.is_file():
            paths.append(p)
        else:
            raise FileNotFoundError(f"{item}: no such file or folder")
    return paths


def run(inputs: list[Path], out: Path, step: Step = lambda _d, it: it) -> BuildResult:
    """Build everything into `out`; `step(description, iterable)` reports progress.

    Files are read in parallel; one that cannot be read lands in `failures`, the rest build.
    """
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out / STORE_NAME)
    sink = _FileSink(result, out)
    batch = Batch(inputs, extract, sink.add)
    try:
        for _ in step("Reading pages", batch):
            pass
    except BaseException:
        sink.abandon()
        raise
    result.failures = batch.failures
    rows = store.Rows(result.store)
    for name, write in step("Writing outputs", [
        (STORE_NAME, sink.finish),
        ("graph.json", lambda path: export.write_json(rows, path)),
        ("graph.graphml", lambda path: export.write_graphml(rows, path)),
        ("graph.html", lambda path: viz.write_overview(
            store.load_top_cited(result.store, OVERVIEW_DOCUMENTS, OVERVIEW_PROJECTS), path,
            max_documents=OVERVIEW_DOCUMENTS, totals=result.counts)),
    ]):
        write(out / name)
        result.files[name] = out / name
    result.files["rejected.json"] = out / "rejected.json"
    result.files["duplicates.json"] = _write_json(out / "duplicates.json", result.duplicates)
    return result


class _FileSink:
    """Takes each file's records and citations: graph to the store, rejections to
    rejected.json, totals and repeats to the result."""

    def __init__(self, result: BuildResult, out: Path):
        self.result = result
        self.graph = GraphBuilder(store.Writer(result.store))
        self.repeats = Repeats()
        self.rejected = open(out / "rejected.json", "w", encoding="utf-8")
        self.rejected.write("[")

    def add(self, records: list[ProjectRecord],
            found: tuple[list[Citation], list[Rejected]]) -> None:
        citations, rejected = found
        self.graph.add(records, citations)
        self.repeats.add(records)
        r = self.result
        r.tables += len(records)
        for rec in records:
            r.funds_total += rec.funds_total or 0
        for rej in rejected:
            self.rejected.write(("\n" if r.rejected_spans == 0 else ",\n") + json.dumps(
                {"project_id": rej.project_id, "field": rej.field,
                 "surface": rej.rejection.surface, "reason": rej.rejection.reason,
                 "snippet": rej.snippet, "source": rej.source, "line": rej.line},
                ensure_ascii=False))
            r.rejected_spans += 1

    def finish(self, _path: Path) -> None:
        self.rejected.write("\n]\n")
        self.rejected.close()
        self.result.duplicates = self.repeats.groups()
        self.graph.finish()
        self.result.counts = store.counts(self.result.store)

    def abandon(self) -> None:
        self.rejected.close()
        self.graph.writer.abandon()


def _write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
