"""The `graphbuild` command line."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import build as build_mod
from . import eval_refs as ev
from . import logs
from . import queries, store
from . import report as report_mod
from . import viz as viz_mod
from .citations import extract
from .ingest import ParseError, read_text
from .neo4j import bulk
from .neo4j import load as neo4j_load
from .neo4j import pack
from .neo4j.connect import DEFAULT_URI, Neo4jFailure, connect, shown_uri
from .refs import find_refs
from .refs.issuers import census
from .store_view import StoreView

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,  # a traceback must never print the password
    help="Turn budget disclosures (项目支出绩效目标表) into a graph of policy documents and "
    "the projects that cite them.\n\nStart with `graphbuild build`, which builds the bundled "
    "Xiangyuan 2024 sample into ./out.",
)
out_console = Console()
err_console = Console(stderr=True)

OutDir = typer.Option(Path("out"), "--out", "-o", help="Folder for the store, exports and pages.")
StoreDir = typer.Option(Path("out"), "--store", "-s", help="Folder a `graphbuild build` wrote.")
Uri = typer.Option(DEFAULT_URI, "--uri", envvar="NEO4J_URI",
                   help="Neo4j address: neo4j://, bolt://, neo4j+s:// …")
User = typer.Option("neo4j", "--user", envvar="NEO4J_USER", help="Neo4j user.")
Password = typer.Option(None, "--password", envvar="NEO4J_PASSWORD", show_default=False,
                        help="Neo4j password; better set NEO4J_PASSWORD (a flag shows in `ps`).")
Database = typer.Option("neo4j", "--database", "-d", envvar="NEO4J_DATABASE",
                        help="Neo4j database.")


@app.callback()
def _main(verbose: bool = typer.Option(
        False, "--verbose", "-v",
        help="Debug logging of graphbuild and the Neo4j driver on standard error "
        "(the password is never written).")) -> None:
    if verbose:
        logs.mask(os.environ.get("NEO4J_PASSWORD"))
        logs.verbose()


def _fail(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _progress_step(progress: Progress):
    def step(description: str, items: Iterable) -> Iterable:
        if not hasattr(items, "__len__"):
            items = list(items)
        task = progress.add_task(description, total=len(items))
        for item in items:
            yield item
            progress.advance(task)
    return step


def _counting_step(progress: Progress, every: int = 100_000):
    """A load.Step (bulk's too): a task per pass, advanced every `every` rows (rich per row
    would cost more than the export)."""
    def step(description: str, items: Iterable, total: Optional[int]) -> Iterable:
        task, done = progress.add_task(description, total=total), 0
        for done, item in enumerate(items, 1):
            yield item
            if done % every == 0:
                progress.update(task, completed=done)
        progress.update(task, completed=done, total=done)
    return step


@app.command()
def build(
    inputs: Optional[List[str]] = typer.Argument(
        None, help="PDFs, text dumps, folders or globs. Default: the bundled Xiangyuan 2024 sample."),
    out: Path = OutDir,
) -> None:
    """Build the graph and write graph.db, graph.json, graph.graphml and graph.html.
    Files are read in parallel; a file or table that cannot be read is reported on one
    line naming the file and place, the others still build, and the exit code is 2. Tables
    are read by what their labels mean (see `graphbuild tables` and GRAPHBUILD_LAYOUTS).

    Examples:

        graphbuild build

        graphbuild build data/xiangyuan-2024/ --out out/xiangyuan

        graphbuild build disclosures/*.pdf notes.txt --out out/mixed
    """
    try:
        paths = build_mod.expand_inputs(inputs or [str(build_mod.SAMPLE)])
    except FileNotFoundError as err:
        _fail(str(err))
    if not paths:
        _fail(f"no input files in {' '.join(inputs or [])}")
    columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err_console, transient=False) as progress:
            result = build_mod.run(paths, out, _progress_step(progress))
    except (ParseError, OSError) as err:
        _fail(str(err))
    _print_summary(result)
    for failure in result.failures:
        err_console.print(f"[bold red]error:[/] {escape(failure)}", highlight=False, soft_wrap=True)
    if result.failures:
        raise typer.Exit(2)


def _print_summary(result: build_mod.BuildResult) -> None:
    c = result.counts
    table = Table(title="Graph", show_header=False)
    for label in ("Project", "Department", "Unit", "Document", "Authority", "Indicator"):
        table.add_row(label, str(c.get(label, 0)))
    table.add_row("CITES edges", str(c.get("CITES", 0)))
    table.add_row("FORWARDS edges", str(c.get("FORWARDS", 0)))
    funds = result.funds_total
    table.add_row("实施期资金总额 (元)", f"{funds:,.2f}")
    table.add_row("rejected 〔yyyy〕 spans", str(result.rejected_spans))
    dup = result.duplicates
    table.add_row("exact duplicate tables", ", ".join("=".join(g) for g in dup["exact"]) or "none")
    table.add_row("repeated (dept, unit, name)", str(len(dup["same_name"])))
    out_console.print(table)
    top = Table(title="Most cited documents")
    for col in ("document", "level", "projects", "funds (元)"):
        top.add_column(col, justify="right" if col in ("projects", "funds (元)") else "left")
    for row in result.top_documents(10):
        top.add_row(row["document"], row["level"] or "", str(row["projects"]),
                    f"{row['funds']:,.0f}")
    out_console.print(top)
    for name, path in result.files.items():
        out_console.print(f"wrote {path}", highlight=False)


@app.command()
def tables(
    inputs: List[str] = typer.Argument(..., help="PDFs, text dumps, folders or globs."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per table."),
) -> None:
    """Show how each table of a disclosure was read: name, 主管部门, 实施单位, money (in 元,
    with the unit it was printed in) and the labels that gave each field; one error line
    per file or table that could not be read (exit code 2). Nothing is built.

    Examples:

        graphbuild tables my-county.pdf

        graphbuild tables disclosures/ --json > tables.jsonl

        GRAPHBUILD_LAYOUTS=my-layouts.tsv graphbuild tables my-county.txt
    """
    from .ingest import read_file

    try:
        paths = build_mod.expand_inputs(inputs)
    except FileNotFoundError as err:
        _fail(str(err))
    problems: list[str] = []
    for path in paths:
        try:
            records = read_file(path, problems=problems)
        except (ParseError, OSError) as err:
            problems.append(str(err))
            continue
        if as_json:
            for rec in records:
                print(json.dumps(asdict(rec), ensure_ascii=False))
            continue
        table = Table(title=str(path), show_lines=False)
        for col in ("#", "where", "项目名称", "主管部门", "实施单位", "资金 (元)", "read as"):
            table.add_column(col, justify="right" if col in ("#", "资金 (元)") else "left",
                             overflow="fold")
        for rec in records:
            money = rec.funds_total if rec.funds_total is not None else rec.funds_annual
            shown = f"{money:,.0f}" if money is not None else ""
            if money is not None and rec.money_unit != "元":
                shown += f" ({rec.money_unit})"
            dept = "-".join(p for p in (rec.dept_code, rec.dept_name) if p)
            where = f"page {rec.page}" if rec.page else f"line {rec.line}"
            read_as = " ".join(f"{label}→{role}" if label != role else role
                               for role, label in rec.labels.items())
            table.add_row(str(rec.ordinal), where, rec.name, dept, rec.unit, shown,
                          read_as + (" · OCR" if rec.ocr else ""))
        out_console.print(table)
    for problem in problems:
        err_console.print(f"[bold red]error:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(2)


@app.command()
def refs(
    file: str = typer.Argument(..., help="A text file, or - for standard input."),
) -> None:
    """Print one JSON object per document reference found in any text, in any encoding
    `build` reads (UTF-8, UTF-16, GB18030, Big5).

    Examples:

        echo '根据晋财教〔2023〕81号文件' | graphbuild refs -

        graphbuild refs notes.txt
    """
    from .ingest.decode import decode  # every encoding build reads

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        text = decode(raw, "<stdin>" if file == "-" else file)
    except (OSError, UnicodeDecodeError, ParseError) as err:
        _fail(f"{file}: {err}" if file not in str(err) else str(err))
    for ref in find_refs(text):
        out_console.print_json(json.dumps(asdict(ref), ensure_ascii=False), indent=None)


@app.command()
def cites(
    doc: str = typer.Argument(..., help="A 文号 in any spelling, or a title."),
    store_dir: Path = StoreDir,
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """List the projects citing a document, with department, unit, funds, field and snippet.

    Examples:

        graphbuild cites 晋财教[2023]81号

        graphbuild cites "晋财教 〔2023〕 81 号" --json
    """
    g = _view(store_dir)
    try:
        rows = queries.cited_by(g, doc)
    except queries.UnknownDocument as err:
        _fail(str(err))
    if as_json:
        for row in rows:
            out_console.print_json(json.dumps(row, ensure_ascii=False), indent=None)
        return
    table = Table(title=f"{rows[0]['document'] if rows else doc}: {len(rows)} projects, "
                  f"{sum(r['funds_total'] or 0 for r in rows):,.0f} 元")
    for col in ("project", "department", "unit", "funds (元)", "field", "snippet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["project"], r["department"], r["unit"], f"{r['funds_total'] or 0:,.0f}",
                      r["field"], r["snippet"])
    out_console.print(table)


@app.command()
def rejected(
    store_dir: Path = StoreDir,
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """List every 〔yyyy〕-like span that was not taken as a document number, with the reason.

    Example:

        graphbuild rejected
    """
    path = store_dir / "rejected.json"
    if not path.is_file():
        _fail(f"{path}: not found (run `graphbuild build --out {store_dir}` first)")
    rows = json.loads(path.read_text(encoding="utf-8"))
    if as_json:
        for row in rows:
            out_console.print_json(json.dumps(row, ensure_ascii=False), indent=None)
        return
    table = Table(title=f"{len(rows)} rejected spans")
    for col in ("where", "field", "span", "reason", "snippet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(f"{r['project_id']} (line {r['line']})", r["field"], r["surface"],
                      r["reason"], r["snippet"])
    out_console.print(table)


@app.command("eval-refs")
def eval_refs(
    gold: Path = typer.Argument(..., help="Gold set (JSON lines, see tests/gold/README.md)."),
    source: Path = typer.Option(build_mod.SAMPLE, help="The text dump the gold set annotates."),
    by_field: bool = typer.Option(False, "--by-field", help="Also score each field."),
    show: int = typer.Option(20, help="How many misses and false hits to list."),
) -> None:
    """Precision, recall and F1 of the citation finder against a gold set, beside the naive
    pattern most tools use. A gold set of passages (other regions) carries its own texts
    and is scored on the kinds it annotates.

    Examples:

        graphbuild eval-refs tests/gold/xiangyuan-2024.jsonl --by-field

        graphbuild eval-refs tests/gold/other-regions-test.jsonl
    """
    try:
        gold_refs = ev.read_gold(gold)
        records = read_text(source)
    except (OSError, ValueError) as err:
        _fail(str(err))
    ours, naive = ev.evaluate(gold_refs, records), ev.evaluate(gold_refs, records, ev.naive_refs)
    passages = isinstance(gold_refs, ev.PassageGold)
    table = Table(title=f"{gold}: {len(gold_refs)} {'passages' if passages else 'tables'}")
    for col in ("kind", "field", "gold", "P", "R", "F1", "naive P", "naive R", "naive F1"):
        table.add_column(col, justify="left" if col in ("kind", "field") else "right")
    rows = [(k, "all", ours.overall[k], naive.overall[k]) for k in ev.KINDS
            if not passages or ours.overall[k].tp + ours.overall[k].fn]  # kinds annotated
    if by_field:
        rows += [(k, f, s, naive.by_field[(k, f)]) for (k, f), s in sorted(ours.by_field.items())]
    for kind, fld, s, n in rows:
        table.add_row(kind, fld, str(s.tp + s.fn), *s.cells(), *n.cells())
    out_console.print(table)
    for name, items in (("missed", ours.misses), ("false hits", ours.false_hits)):
        out_console.print(f"{name}: {len(items)}", highlight=False)
        for fact in items[:show]:
            out_console.print("  " + " | ".join(map(str, fact)), highlight=False, markup=False)


@app.command("issuers")
def issuers_cmd(
    inputs: Optional[List[str]] = typer.Argument(
        None, help="Text dumps, folders or globs. Default: the bundled Xiangyuan 2024 sample."),
    unresolved: bool = typer.Option(
        False, "--unresolved", help="Only codes that do not settle their issuer, with the reason."),
) -> None:
    """List every 机关代字 cited in the input with its authority, level, region and count.

    Examples:

        graphbuild issuers

        graphbuild issuers data/xiangyuan-2024/ --unresolved
    """
    try:
        paths = build_mod.expand_inputs(inputs or [str(build_mod.SAMPLE)])
        records = [rec for path in paths for rec in read_text(path)]
    except (ParseError, OSError) as err:
        _fail(str(err))
    if not paths:
        _fail(f"no input files in {' '.join(inputs or [])}")
    cites, _ = extract(records)  # each file read with its own county and city
    uses = census(c.ref for c in cites)
    if unresolved:
        uses = [u for u in uses if u.reason]
    table = Table(title=f"{len(uses)} {'unresolved ' if unresolved else ''}代字")
    for col in ("代字", "authority", "level", "region", "count", "reason"):
        table.add_column(col, justify="right" if col == "count" else "left", overflow="fold")
    for u in uses:
        table.add_row(u.code, u.authority or "—", u.level, u.region or "—", str(u.count),
                      u.reason or "")
    out_console.print(table)


@app.command()
def load(
    store_dir: Path = StoreDir,
    uri: str = Uri,
    user: str = User,
    password: Optional[str] = Password,
    database: str = Database,
    batch_size: int = typer.Option(neo4j_load.BATCH, "--batch-size", min=1,
                                   help="Rows per write transaction."),
) -> None:
    """Load a built graph into Neo4j: cypher/schema.cypher, then every node and relationship.
    Loading again changes nothing; loading another build adds its projects and reuses the
    documents already there.

    Examples:

        docker compose up -d; export NEO4J_PASSWORD=...   # as in .env

        graphbuild load

        graphbuild load --store out/xy --uri neo4j+s://<id>.databases.neo4j.io
    """
    path = store_dir / build_mod.STORE_NAME
    loaded = _load(store_dir, store.counts)  # a missing or damaged store: one line
    columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    started = False
    try:
        with connect(uri, user, password, database) as driver:
            with Progress(*columns, console=err_console) as progress:
                started = True
                neo4j_load.load(driver, path, database, _counting_step(progress, batch_size),
                                batch_size)
            held = neo4j_load.db_counts(driver, database)
    except (Neo4jFailure, neo4j_load.LoadError) as err:
        _fail(f"{err}; the load stopped part way: run it again once Neo4j is back, it ends "
              "as if uninterrupted" if started and isinstance(err, Neo4jFailure) else str(err))
    except (sqlite3.Error, json.JSONDecodeError) as err:  # damaged past what counts read
        _fail(f"{path}: not a graph store ({err})")
    (nodes, rels), (held_nodes, held_rels) = _totals(loaded), _totals(held)
    out_console.print(f"loaded {nodes} nodes, {rels} relationships from {store_dir} into "
                      f"{shown_uri(uri)} (database {database}); it now holds {held_nodes} "
                      f"nodes, {held_rels} relationships", highlight=False, soft_wrap=True)
    table = Table(show_header=True)
    for col in ("label / type", "this build", "in Neo4j"):
        table.add_column(col, justify="left" if col == "label / type" else "right")
    for name in sorted(set(loaded) | set(held), key=lambda k: (k not in neo4j_load.LABELS, k)):
        table.add_row(name, str(loaded.get(name, 0)), str(held.get(name, 0)))
    out_console.print(table)


def _totals(counts: dict[str, int]) -> tuple[int, int]:
    """Nodes (of the schema's labels) and relationships in counts by label and type."""
    nodes = sum(counts.get(label, 0) for label in neo4j_load.LABELS)
    return nodes, sum(counts.values()) - nodes


@app.command("export")
def export_cmd(
    store_dir: Path = StoreDir,
    fmt: str = typer.Option(..., "--format", "-f", show_default=False,
                            help="neo4j-admin: CSV files for `neo4j-admin database import full`."),
    to: Path = typer.Option(..., "--to", show_default=False, help="Folder for the files."),
    database: str = Database,
) -> None:
    """Export a built graph for another tool. **neo4j-admin**: a CSV file of nodes per label
    and of relationships per type, with typed headers, the same data `graphbuild load` writes;
    `import.sh` holds the command that imports them into an empty, stopped database without
    transactions (a first load of a large graph). Then apply the schema and the documents'
    totals: `after-import.cypher`.

    Example:

        graphbuild export --format neo4j-admin --store out --to out/neo4j-import

        neo4j stop; sh out/neo4j-import/import.sh; neo4j start

        cypher-shell -f out/neo4j-import/after-import.cypher
    """
    if fmt != "neo4j-admin":
        _fail(f"--format must be neo4j-admin, not {fmt!r}")
    _load(store_dir, store.open_readonly).close()  # a missing store: one line, no folder
    path = store_dir / build_mod.STORE_NAME
    columns = (TextColumn("{task.description:<21}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err_console) as progress:
            result = bulk.export(path, to, database, _counting_step(progress))
    except (sqlite3.Error, json.JSONDecodeError) as err:  # a damaged or foreign graph.db
        _fail(f"{path}: not a graph store ({err})")
    except neo4j_load.LoadError as err:
        _fail(str(err))
    out_console.print(f"wrote {len(result.nodes) + len(result.relationships)} CSV files "
                      f"({result.node_rows} nodes, {result.relationship_rows} relationships) to "
                      f"{result.folder}; with Neo4j stopped, import them "
                      f"({result.folder / 'import.sh'}):", highlight=False, soft_wrap=True,
                      markup=False)
    print(result.script(database), end="")


Backend = typer.Option("embedded", "--backend", "-b",
                       help="embedded: the store a `graphbuild build` wrote (no server); "
                       "neo4j: the Cypher file, against Neo4j.")
Params = typer.Option([], "--param", "-p", help="A parameter as key=value (repeatable).")
AsJson = typer.Option(False, "--json", help="Print JSON lines instead of a table.")


@app.command("query")
def query_cmd(
    name: str = typer.Argument(..., help="A named query: " + ", ".join(pack.names())),
    param: List[str] = Params,
    backend: str = Backend,
    as_json: bool = AsJson,
    store_dir: Path = StoreDir,
    uri: str = Uri,
    user: str = User,
    password: Optional[str] = Password,
    database: str = Database,
) -> None:
    """Answer a named query: in Python over the embedded store (default), or with
    cypher/queries/NAME.cypher against Neo4j (read-only). Both give the same rows. Each
    file's header lists its parameters; documents resolve from any spelling of a 文号. A
    `dept` names departments by key (襄垣县/101: county and 主管部门 code), exact name, or
    bare code (101: that code's department in every county, a row or rows for each).

    Examples:

        graphbuild query cited_by --param doc=晋财教[2023]81号

        graphbuild query cited_by -p doc=财教[2023]64号 -p limit=50 -p skip=50

        graphbuild query funds_by_level -p field=立项依据 --json

        graphbuild query search -p q=义务教育 --backend neo4j

        graphbuild query unfounded_projects -p dept=101 --store out/xy

        graphbuild query department_basis -p dept=襄垣县/101
    """
    if backend not in ("embedded", "neo4j"):
        _fail(f"--backend must be embedded or neo4j, not {backend!r}")
    try:
        params = pack.parse_params(pack.get(name), param)
        if backend == "embedded":
            rows = queries.run(_view(store_dir), name, params)
        else:
            with connect(uri, user, password, database) as driver:
                rows = pack.run(driver, database, name, params)
    except (Neo4jFailure, pack.PackError, queries.UnknownDocument) as err:
        _fail(str(err))
    _print_rows(rows, name, as_json)


@app.command("cypher")
def cypher_cmd(
    statement: str = typer.Argument(..., help="A Cypher statement (read-only)."),
    param: List[str] = Params,
    as_json: bool = AsJson,
    uri: str = Uri,
    user: str = User,
    password: Optional[str] = Password,
    database: str = Database,
) -> None:
    """Run ad-hoc read-only Cypher against Neo4j, in a read transaction: a statement that
    writes is refused and changes nothing. Pass values as parameters (strings), never
    pasted into the text. For the named queries use `graphbuild query NAME --backend neo4j`.

    Examples:

        graphbuild cypher "MATCH (d:Document) RETURN d.level AS level, count(*) AS n"

        graphbuild cypher 'MATCH (p:Project)-[:CITES]->(:Document {key: $doc}) RETURN p.name AS project' -p doc=晋财教〔2023〕81号 --json
    """
    params = {}
    for pair in param:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            _fail(f"bad parameter {pair!r}; expected key=value")
        params[key] = value
    try:
        with connect(uri, user, password, database) as driver:
            rows = pack.run_cypher(driver, database, statement, params)
    except (Neo4jFailure, pack.PackError) as err:
        _fail(str(err))
    _print_rows(rows, "cypher", as_json)


@app.command("lineage")
def lineage_cmd(
    doc: Optional[str] = typer.Argument(None, help="A 文号 in any spelling, or a title."),
    department: Optional[str] = typer.Option(
        None, "--department", help="A department: its key (襄垣县/101), exact name, or code "
        "(101; refused when several counties' departments have it): what its projects rest on."),
    fmt: str = typer.Option("html", "--format", "-f", help="html, md, csv, json or xlsx."),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="File to write. Default: md, csv and json to standard "
        "output; html and xlsx to lineage-<name>.<format> here."),
    store_dir: Path = StoreDir,
) -> None:
    """A lineage report: the document (文号, title, issuers, level, year), the documents it
    forwards and the notices forwarding it, the projects citing any of them by department
    and unit with funds and subtotals, and every citing sentence with its source line.
    With --department, the documents a department's projects rest on, by level.

    Examples:

        graphbuild lineage 晋财教[2023]81号 --out 81号.html

        graphbuild lineage 财税〔2017〕20号 --format xlsx

        graphbuild lineage --department 101 --format md > 教育局.md
    """
    if (doc is None) == (department is None):
        _fail("give a document or --department, not both")
    if fmt not in report_mod.FORMATS:
        _fail(f"--format must be one of {', '.join(report_mod.FORMATS)}, not {fmt!r}")
    g = _view(store_dir)
    try:
        data = (report_mod.document_report(g, doc) if doc is not None
                else report_mod.department_report(g, department))
    except LookupError as err:
        _fail(str(err).strip('"'))
    if out is None and fmt in ("md", "csv", "json"):
        sys.stdout.write(report_mod.render(g, data, fmt))
        return
    subject = data["subject"]
    name = subject.get("document") or subject.get("dept_key")
    path = report_mod.write(g, data, fmt, out or Path(f"lineage-{_file_part(name)}.{fmt}"))
    t = data["totals"]
    out_console.print(f"wrote {path}: {t['documents']} documents, {t['projects']} projects, "
                      f"{t['citations']} citations, {t['funds']:,.2f} 元", highlight=False,
                      soft_wrap=True)


@app.command("viz")
def viz_cmd(
    focus: Optional[str] = typer.Option(
        None, "--focus", help="A document (any spelling, or a title), a department (key such "
        "as 襄垣县/101, name, or a code no other county uses) or a project (id or name). "
        "Default: the overview."),
    depth: int = typer.Option(2, "--depth", min=1, help="Steps around the focus."),
    max_documents: int = typer.Option(200, "--max-documents", min=1,
                                      help="Overview: how many of the most cited documents."),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="Page to write. Default: graph.html or focus-<name>.html "
        "in the store folder."),
    store_dir: Path = StoreDir,
) -> None:
    """Write an interactive page of the graph (pyvis, vis-network inlined: it opens offline
    and fetches nothing). Colours: departments, document levels; sizes: funds, citations.

    Examples:

        graphbuild viz

        graphbuild viz --focus 晋财教[2023]81号 --depth 2 --out 81号.html

        graphbuild viz --focus 101
    """
    g = _load(store_dir)
    if focus is None:
        path = out or store_dir / "graph.html"
        stats = viz_mod.write_overview(g, path, max_documents=max_documents)
    else:
        try:
            center = viz_mod.focus_node(g, focus)
        except LookupError as err:
            _fail(str(err).strip('"'))
        path = out or store_dir / f"focus-{_file_part(g.nodes[center]['key'])}.html"
        stats = viz_mod.write_focus(g, center, path, depth=depth)
    out_console.print(f"wrote {path}: {stats['nodes']} nodes, {stats['edges']} edges",
                      highlight=False, soft_wrap=True)


def _file_part(name: str) -> str:
    """A name safe in a file name: word characters (CJK too), others as _."""
    return re.sub(r"\W+", "_", name).strip("_")[:60] or "report"


def _print_rows(rows: list[dict], title: str, as_json: bool) -> None:
    if as_json:  # JSON lines for other programs: plain, not highlighted (rich is 60× slower)
        sys.stdout.write("".join(json.dumps(row, ensure_ascii=False, default=str) + "\n"
                                 for row in rows))
        return
    table = Table(title=f"{title}: {len(rows)} rows")
    for col in (rows[0] if rows else []):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(escape("" if v is None else str(v)) for v in row.values()))
    out_console.print(table)


def _view(store_dir: Path) -> StoreView:
    """The store read in place: for queries and reports, which read only what they need."""
    return _load(store_dir, StoreView)


def _load(store_dir: Path, read=store.load):
    try:
        return read(store_dir / build_mod.STORE_NAME)
    except FileNotFoundError as err:
        _fail(str(err))
    except (sqlite3.Error, ValueError) as err:  # a damaged or foreign graph.db
        _fail(f"{store_dir / build_mod.STORE_NAME}: not a graph store ({err})")

