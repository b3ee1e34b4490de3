// unfounded_projects: projects whose 立项依据 (basis) cites no document — the spending that
// rests on no directive the finder could see — most money first, with the basis text and how
// many citations the project's other fields make (a project may cite in 项目概况 but not in
// 立项依据). Same answer as graphbuild.queries.unfounded_projects.
//
// Parameters:
//   $dept  string  a department code (e.g. 101) or exact name, or * for every department (default *)
//
// Example:
//   graphbuild query unfounded_projects --param dept=101 --backend neo4j
MATCH (p:Project)
WHERE NOT EXISTS { MATCH (p)-[:CITES {field: '立项依据'}]->(:Document) }
  AND ($dept = '*' OR EXISTS {
        MATCH (p)-[:BELONGS_TO]->(dep:Department) WHERE dep.key = $dept OR dep.name = $dept })
OPTIONAL MATCH (p)-[:BELONGS_TO]->(dep:Department)
OPTIONAL MATCH (p)-[:IMPLEMENTED_BY]->(u:Unit)
RETURN p.key AS project_id, p.name AS project, p.dept_code AS dept_code,
       coalesce(dep.name, dep.key, '') AS department, coalesce(u.name, u.key, '') AS unit,
       p.funds_total AS funds_total, p.funds_annual AS funds_annual, p.basis AS basis,
       COUNT { (p)-[:CITES]->(:Document) } AS other_citations
ORDER BY coalesce(funds_total, 0.0) DESC, project_id
