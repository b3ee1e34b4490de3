"""Shared fixtures: the bundled sample, parsed once per session."""
from pathlib import Path

import pytest

from graphbuild.ingest import read_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "xiangyuan-2024" / "xiangyuan-2024.txt"


@pytest.fixture(scope="session")
def records():
    return read_text(SAMPLE)


@pytest.fixture(scope="session")
def by_ordinal(records):
    return {r.ordinal: r for r in records}


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """The bundled sample built once (graph.db and the rest) into a temporary folder."""
    from graphbuild.build import run

    out = tmp_path_factory.mktemp("sample-store")
    run([SAMPLE], out)
    return out


@pytest.fixture(scope="session")
def counties(tmp_path_factory):
    """Three county-years of two counties (benchmarks.synth, scale 3: 襄垣 2024 and 2023, and
    another county's 2024) built once: (manifest, output folder)."""
    from benchmarks import synth
    from graphbuild.build import run

    corpus = tmp_path_factory.mktemp("counties")
    m = synth.generate(corpus / "in", scale=3, seed=1)
    run([corpus / "in" / f for f in m.files], corpus / "out")
    return m, corpus / "out"
