// department_basis: what a department's spending rests on — how many central (中央),
// provincial (省), city (市), county (县) or unplaced documents its projects cite, how many
// of its projects cite them and those projects' funds. One row per department and level;
// dept_code is the bare code, dept_key the department's key (two counties' 101 differ).
// Same answer as graphbuild.queries.department_basis.
//
// Parameters:
//   $dept  string  a department's key, exact name or code (主管部门代码, e.g. 101)
//
// A department is named by its key (襄垣县/101: the county, then the 主管部门 code), its exact
// name, or its bare code (101), which names that code's department in every county.
//
// Example:
//   graphbuild query department_basis --param dept=101 --backend neo4j
MATCH (dep:Department) WHERE dep.key = $dept OR dep.name = $dept OR dep.code = $dept
MATCH (p:Project)-[:BELONGS_TO]->(dep)
MATCH (p)-[:CITES]->(d:Document)
WITH dep, coalesce(d.level, 'unknown') AS level, collect(DISTINCT d) AS docs,
     collect(DISTINCT p) AS ps
RETURN dep.code AS dept_code, dep.name AS department, dep.key AS dept_key, level,
       size(docs) AS documents, size(ps) AS projects,
       round(reduce(s = 0.0, q IN ps | s + coalesce(q.funds_total, 0.0)), 2) AS funds
ORDER BY dept_code, dept_key, projects DESC, documents DESC, level
