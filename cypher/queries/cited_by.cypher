// cited_by: which projects cite a document — with department, unit, funds, the citing field
// and the sentence. One row per citation (a project citing from two fields gives two rows).
// Same answer as graphbuild.queries.cited_by. A page of it: `skip` rows, then `limit` rows;
// only the page's projects are expanded to their department and unit.
//
// Parameters:
//   $doc    string  a 文号 in any spelling, or a title (the runner resolves it to Document.key)
//   $limit  int     rows to return, 0 for all (default 0)
//   $skip   int     rows to pass over first (default 0)
//
// Example:
//   graphbuild query cited_by --param doc=晋财教〔2023〕81号 --backend neo4j
//   graphbuild query cited_by --param doc=财教〔2023〕64号 --param limit=50 --param skip=50
MATCH (d:Document {key: $doc})<-[c:CITES]-(p:Project)
WITH d, c, p ORDER BY p.dept_code, p.key, c.field, c.start
SKIP $skip LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 4611686018427387904 END  // 0: 2^62
OPTIONAL MATCH (p)-[:BELONGS_TO]->(dep:Department)
OPTIONAL MATCH (p)-[:IMPLEMENTED_BY]->(u:Unit)
RETURN d.key AS document, p.key AS project_id, p.name AS project,
       coalesce(dep.name, dep.key, '') AS department, p.dept_code AS dept_code,
       coalesce(u.name, u.key, '') AS unit, p.funds_total AS funds_total,
       c.field AS field, c.snippet AS snippet, c.source AS source, c.line AS line
ORDER BY dept_code, project_id, field, c.start
