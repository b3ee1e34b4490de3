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
