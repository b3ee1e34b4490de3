// lineage: how a directive travels. The document, what it forwards (up the FORWARDS chain,
// depth -1, -2 …), what forwards it (down the chain, depth 1, 2 …; shortest distance), and
// the projects citing any document on the chain. One row per (document, citing project); a
// document no project cites gives one row with empty project fields.
// Same answer as graphbuild.queries.lineage.
//
// Parameters:
//   $doc  string  a 文号 in any spelling, or a title (the runner resolves it to Document.key)
//
// Example:
//   graphbuild query lineage --param doc=财税〔2017〕20号 --backend neo4j
MATCH (d:Document {key: $doc})
CALL (d) {
  RETURN d AS x, 0 AS depth
  UNION
  MATCH path = (d)-[:FORWARDS*]->(x:Document) WHERE x <> d
  RETURN x, -min(length(path)) AS depth
  UNION
  MATCH path = (x:Document)-[:FORWARDS*]->(d) WHERE x <> d
  RETURN x, min(length(path)) AS depth
}
OPTIONAL MATCH (p:Project)-[:CITES]->(x)
WITH DISTINCT x, depth, p
OPTIONAL MATCH (p)-[:BELONGS_TO]->(dep:Department)
RETURN x.key AS document, x.title AS title, x.level AS level, depth,
       p.key AS project_id, p.name AS project, dep.name AS department,
       p.funds_total AS funds_total
ORDER BY depth, document, project_id
