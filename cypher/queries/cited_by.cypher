// cited_by: which projects cite a document — with department, unit, funds, the citing field
// and the sentence. One row per citation (a project citing from two fields gives two rows).
// Same answer as graphbuild.queries.cited_by.
//
// Parameters:
//   $doc  string  a 文号 in any spelling, or a title (the runner resolves it to Document.key)
//
// Example:
//   graphbuild query cited_by --param doc=晋财教〔2023〕81号 --backend neo4j
MATCH (d:Document {key: $doc})<-[c:CITES]-(p:Project)
OPTIONAL MATCH (p)-[:BELONGS_TO]->(dep:Department)
OPTIONAL MATCH (p)-[:IMPLEMENTED_BY]->(u:Unit)
RETURN d.key AS document, p.key AS project_id, p.name AS project,
       coalesce(dep.name, dep.key, '') AS department, p.dept_code AS dept_code,
       coalesce(u.name, u.key, '') AS unit, p.funds_total AS funds_total,
       c.field AS field, c.snippet AS snippet, c.source AS source, c.line AS line
ORDER BY dept_code, project_id, field, c.start
