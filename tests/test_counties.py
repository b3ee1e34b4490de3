"""Many counties in one graph: every county numbers its departments alike (001 …), so a
department is keyed by its disclosure's county and its code (襄垣县/101); a county's years
share its departments, two counties never do. Built from benchmarks.synth at scale 3."""
import pytest

from benchmarks import synth
from graphbuild import queries, report, store, viz
from graphbuild.store_view import StoreView

DEPARTMENTS_PER_COUNTY = 67  # the sample's 主管部门 codes, which every synthetic county keeps


@pytest.fixture(scope="module")
def names(counties):
    """The two counties' names: 襄垣 (2024, 2023) and the other one (2024)."""
    return [synth.County(**c).name for c in counties[0].counties]


@pytest.fixture(scope="module")
def g(counties):
    return store.load(counties[1] / "graph.db")


def departments(g):
    return {n: d for n, d in g.nodes(data=True) if d["label"] == "Department"}


def test_each_county_has_its_own_departments(g, names):
    deps = departments(g)
    assert len(deps) == 2 * DEPARTMENTS_PER_COUNTY
    for county in names:
        own = [d for d in deps.values() if d["key"].startswith(f"{county}县/")]
        assert len(own) == DEPARTMENTS_PER_COUNTY
        assert all(d["key"] == f"{county}县/{d['code']}" for d in own)
    assert sum(d["code"] == "101" for d in deps.values()) == 2


def test_every_project_belongs_to_its_own_countys_department(g, names):
    for pid, p in g.nodes(data=True):
        if p["label"] != "Project":
            continue
        county = next(c for c in names if p["key"].startswith(f"{c}县-"))
        (dep,) = [v for _, v, t in g.out_edges(pid, data="type") if t == "BELONGS_TO"]
        d = g.nodes[dep]
        assert county in d["name"] and d["code"] == p["dept_code"], (pid, d)


def test_a_countys_years_share_its_departments(g, names):
    by_year = {}
    for pid, p in g.nodes(data=True):
        if p["label"] == "Project" and p["key"].startswith(f"{names[0]}县-"):
            dep = next(v for _, v, t in g.out_edges(pid, data="type") if t == "BELONGS_TO")
            by_year.setdefault(p["year"], set()).add(dep)
    assert sorted(by_year) == [2023, 2024]
    assert by_year[2023] == by_year[2024] and len(by_year[2024]) == DEPARTMENTS_PER_COUNTY


def test_a_bare_code_names_every_countys_department_a_key_one(g, names, counties):
    both = {f"{c}县/101" for c in names}
    view = StoreView(counties[1] / "graph.db")
    for dept, keys in (("101", both), (f"{names[1]}县/101", {f"{names[1]}县/101"}),
                       (f"{names[1]}县教育局", {f"{names[1]}县/101"})):
        for name in ("department_basis", "funds_by_level"):
            rows = queries.run(g, name, {"dept": dept})
            assert {r["dept_key"] for r in rows} == keys, (name, dept)
            assert {r["dept_code"] for r in rows} == {"101"}
            assert queries.run(view, name, {"dept": dept}) == rows
        unfounded = queries.unfounded_projects(g, dept)
        assert {r["department"] for r in unfounded} == {
            g.nodes[f"Department:{k}"]["name"] for k in keys}
        assert queries.unfounded_projects(view, dept) == unfounded
    rows = queries.department_basis(g, "101")
    order = [(r["dept_code"], r["dept_key"]) for r in rows]
    assert order == sorted(order)
    everything = queries.funds_by_level(g)
    assert len(everything) == 2 * DEPARTMENTS_PER_COUNTY
    assert sum(r["projects"] for r in everything) == 3 * 447
    view.close()


def test_one_department_pages_need_one_department(g, names):
    key = f"{names[1]}县/101"
    r = report.department_report(g, key)
    assert (r["subject"]["dept_code"], r["subject"]["dept_key"]) == ("101", key)
    assert {e["department"] for e in r["sections"]["evidence"]} == {f"{names[1]}县教育局"}
    assert f'"borderWidth": 5, "id": "Department:{key}"' in report.render(g, r, "html")
    with pytest.raises(LookupError, match=f"2 departments match '101' .*{names[0]}县/101"):
        report.department_report(g, "101")
    assert viz.focus_node(g, key) == f"Department:{key}"
    with pytest.raises(LookupError, match="several nodes"):
        viz.focus_node(g, "101")
