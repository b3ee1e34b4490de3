"""A load killed midway, then run again, ends identical to an uninterrupted load."""
import subprocess
import sys
import time

from graphbuild.neo4j.load import db_counts

from ..conftest import ROOT
from .conftest import checksum, graphbuild, holds_sample, wipe


def test_load_after_a_killed_load_ends_identical(loaded, sample_build):
    with loaded.connect() as driver:
        full = db_counts(driver, loaded.database)
    reference = checksum(loaded)

    wipe(loaded)
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphbuild", "load", "--store", str(sample_build[0]),
         "--batch-size", "50"], env=loaded.env(), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with loaded.connect() as driver:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n",
                                            database_=loaded.database).records[0]["n"]
                if rels >= 500:  # every node written, a few relationship batches too
                    break
                time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    with loaded.connect() as driver:
        partial = db_counts(driver, loaded.database)
    rels = lambda counts: sum(n for k, n in counts.items() if k.isupper())  # types, not labels
    assert 500 <= rels(partial) < rels(full), f"the load was not caught midway: {partial}"

    done = graphbuild("load", "--store", str(sample_build[0]), env=loaded.env())
    assert done.returncode == 0, done.stderr
    with loaded.connect() as driver:
        assert db_counts(driver, loaded.database) == full
    assert checksum(loaded) == reference
    holds_sample(loaded)
