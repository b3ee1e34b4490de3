// unfounded_projects: projects whose 立项依据 (basis) cites no document — the spending that
// rests on no directive the finder could see — most money first, with the basis text and how
// many citations the project's other fields make (a project may cite in 项目概况 but not in
// 立项依据). dept_code is the project's bare department code; project_id and department tell
// two counties apart. Same answer as graphbuild.queries.unfounded_projects.
//
// Parameters:
//   $dept  string  a department's key, exact name or code (e.g. 101), or * for all (default *)
//
// A department is named by its key (襄垣县/101: the county, then the 主管部门 code), its exact
// name, or its bare code (101), which names that code's department in every county.
//
// Example:
//   graphbuild query unfounded_projects --param dept=101 --backend neo4j
MATCH (p:Project)
WHERE NOT EXISTS { MATCH (p)-[:CITES {field: '立项依据'}]->(:Document) }
  AND ($dept = '*' OR EXISTS {
        MATCH (p)-[:BELONGS_TO]->(dep:Department)
        WHERE dep.key = $dept OR dep.name = $dept OR dep.code = $dept })
OPTIONAL MATCH (p)-[:BELONGS_TO]->(dep:Department)
OPTIONAL MATCH (p)-[:IMPLEMENTED_BY]->(u:Unit)
RETURN p.key AS project_id, p.name AS project, p.dept_code AS dept_code,
       coalesce(dep.name, dep.key, '') AS department, coalesce(u.name, u.key, '') AS unit,
       p.funds_total AS funds_total, p.funds_annual AS funds_annual, p.basis AS basis,
       COUNT { (p)-[:CITES]->(:Document) } AS other_citations
ORDER BY coalesce(funds_total, 0.0) DESC, project_id
