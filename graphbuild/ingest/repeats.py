"""Tables that repeat: names are not keys, so repeats are reported, never merged."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict

from ..records import ProjectRecord

_PROVENANCE = ("id", "source", "ordinal", "line", "page", "field_lines")


def find_repeats(records: list[ProjectRecord]) -> dict[str, list[list[str]]]:
    """Record ids of tables equal but for white space, and of repeated (dept, unit, name)."""
    exact: dict[str, list[str]] = defaultdict(list)
    triples: dict[tuple, list[str]] = defaultdict(list)
    for r in records:
        body = {k: v for k, v in asdict(r).items() if k not in _PROVENANCE}
        exact[re.sub(r"\s", "", json.dumps(body, ensure_ascii=False, sort_keys=True))].append(r.id)
        triples[(r.dept_code, r.unit, r.name)].append(r.id)
    return {
        "exact": [ids for ids in exact.values() if len(ids) > 1],
        "same_name": [ids for ids in triples.values() if len(ids) > 1],
    }
