"""Tables that repeat: names are not keys, so repeats are reported, never merged."""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict

from ..records import ProjectRecord

_PROVENANCE = ("id", "source", "ordinal", "line", "page", "field_lines")


class Repeats:
    """Record ids of tables equal but for white space, and of repeated (dept, unit, name),
    gathered file by file (a table's body is kept as a digest, not as text)."""

    def __init__(self):
        self.exact: dict[bytes, list[str]] = defaultdict(list)
        self.triples: dict[tuple, list[str]] = defaultdict(list)

    def add(self, records: list[ProjectRecord]) -> None:
        for r in records:
            body = {k: v for k, v in vars(r).items() if k not in _PROVENANCE}
            text = re.sub(r"\s", "", json.dumps(body, ensure_ascii=False, sort_keys=True,
                                                default=vars))  # nested records as dicts
            self.exact[hashlib.blake2b(text.encode(), digest_size=16).digest()].append(r.id)
            self.triples[(r.dept_code, r.unit, r.name)].append(r.id)

    def groups(self) -> dict[str, list[list[str]]]:
        return {
            "exact": [ids for ids in self.exact.values() if len(ids) > 1],
            "same_name": [ids for ids in self.triples.values() if len(ids) > 1],
        }


def find_repeats(records: list[ProjectRecord]) -> dict[str, list[list[str]]]:
    """Repeats among `records` (see Repeats)."""
    repeats = Repeats()
    repeats.add(records)
    return repeats.groups()
