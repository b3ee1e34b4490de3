"""The main job: inputs -> records -> citations -> graph -> store, exports and page."""
from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from . import export, store, viz
from .citations import Citation, Rejected, extract
from .graph import build_graph
from .ingest import is_pdf
from .ingest.batch import Batch
from .ingest.repeats import find_repeats
from .records import ProjectRecord

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "xiangyuan-2024" / "xiangyuan-2024.txt"
STORE_NAME = "graph.db"

Step = Callable[[str, Iterable], Iterable]


@dataclass
class BuildResult:
    """What a build produced, for the summary and the tests."""

    records: list[ProjectRecord]
    citations: list[Citation]
    rejected: list[Rejected]
    graph: nx.MultiDiGraph
    files: dict[str, Path] = field(default_factory=dict)
    duplicates: dict[str, list[list[str]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # one line per unreadable file


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
    batch = Batch(inputs)
    for _ in step("Reading pages", batch):
        pass
    records = batch.records
    citations, rejected = extract(step("Finding citations", records))
    g = build_graph(records, citations)
    result = BuildResult(records, citations, rejected, g, duplicates=find_repeats(records),
                         failures=batch.failures)
    for name, write in step("Writing outputs", [
        (STORE_NAME, store.save),
        ("graph.json", export.write_json),
        ("graph.graphml", export.write_graphml),
        ("graph.html", viz.write_overview),
    ]):
        write(g, out / name)
        result.files[name] = out / name
    result.files["rejected.json"] = _write_json(out / "rejected.json", [
        {"project_id": r.project_id, "field": r.field, "surface": r.rejection.surface,
         "reason": r.rejection.reason, "snippet": r.snippet, "source": r.source, "line": r.line}
        for r in rejected])
    result.files["duplicates.json"] = _write_json(out / "duplicates.json", result.duplicates)
    return result


def _write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
