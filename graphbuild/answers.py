"""cited_by's rows kept in graph.db, one per citation, in cited_by's order: a page of the
answer for the most cited directive is an index range, whatever the corpus size.

`write` fills table `cited_by` once the store is final (GraphBuilder.finish calls it; it can
be run again on a store built without it); `rows` reads a document's rows, or a page of
them, and `projects` the projects citing it (for lineage). The columns are those of
queries.cited_by, which answers from the graph itself where this table is missing;
tests/test_store_view.py holds the two equal for every document.
"""
from __future__ import annotations

import sqlite3

COLUMNS = ("project_id", "project", "department", "dept_code", "unit", "funds_total",
           "field", "snippet", "source", "line")

# Plain SQL, no value spliced in; a project's department and unit are its first BELONGS_TO
# and IMPLEMENTED_BY ends, named by name or else key, as queries.cited_by names them.
_CREATE = """
DROP TABLE IF EXISTS cited_by;
CREATE TABLE cited_by (doc TEXT NOT NULL, rank INTEGER NOT NULL, project_id, project,
                       department, dept_code, unit, funds_total, field, snippet, source, line,
                       PRIMARY KEY (doc, rank)) WITHOUT ROWID;
INSERT INTO cited_by
SELECT e.dst, ROW_NUMBER() OVER (PARTITION BY e.dst ORDER BY COALESCE(
           json_extract(p.props, '$.dept_code'), ''), p.key, json_extract(e.props, '$.field'),
           COALESCE(json_extract(e.props, '$.start'), 0), e.rowid),
       p.key, json_extract(p.props, '$.name'),
       COALESCE((SELECT COALESCE(json_extract(n.props, '$.name'), n.key) FROM edges x
                 JOIN nodes n ON n.id = x.dst WHERE x.src = e.src AND x.type = 'BELONGS_TO'
                 ORDER BY x.rowid LIMIT 1), ''),
       json_extract(p.props, '$.dept_code'),
       COALESCE((SELECT COALESCE(json_extract(n.props, '$.name'), n.key) FROM edges x
                 JOIN nodes n ON n.id = x.dst WHERE x.src = e.src AND x.type = 'IMPLEMENTED_BY'
                 ORDER BY x.rowid LIMIT 1), ''),
       json_extract(p.props, '$.funds_total'), json_extract(e.props, '$.field'),
       json_extract(e.props, '$.snippet'), json_extract(e.props, '$.source'),
       json_extract(e.props, '$.line')
FROM edges e JOIN nodes p ON p.id = e.src
WHERE e.type = 'CITES' ORDER BY e.dst;
"""
_PROJECTS = ("SELECT DISTINCT project_id, project, department, funds_total FROM cited_by "
             "WHERE doc = ?")
_ROWS = ("SELECT project_id, project, department, dept_code, unit, funds_total, field, snippet,"
         " source, line FROM cited_by WHERE doc = ? ORDER BY rank LIMIT ? OFFSET ?")


def write(db: sqlite3.Connection) -> None:
    """(Re)write table cited_by from the store's CITES edges."""
    db.executescript(_CREATE)


def present(db: sqlite3.Connection) -> bool:
    """Whether the store holds the table."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cited_by'"
                      ).fetchone() is not None


def rows(db: sqlite3.Connection, doc_id: str, key: str, limit: int = 0,
         skip: int = 0) -> list[dict]:
    """The rows of document `doc_id` (whose key is `key`), from row `skip` on, at most
    `limit` of them (0: all)."""
    found = db.execute(_ROWS, (doc_id, limit or -1, skip))
    return [{"document": key, **dict(zip(COLUMNS, r))} for r in found]


def projects(db: sqlite3.Connection, doc_id: str) -> list[dict]:
    """The projects citing document `doc_id`, once each (in no order), as lineage lists them:
    project_id, project, department (None where it has none) and funds_total."""
    return [{"project_id": p, "project": name, "department": dept or None, "funds_total": f}
            for p, name, dept, f in db.execute(_PROJECTS, (doc_id,))]
