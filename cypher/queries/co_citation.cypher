// co_citation: the documents cited together with a document — by how many of the projects
// that cite it. Same answer as graphbuild.queries.co_citation.
//
// Parameters:
//   $doc    string  a 文号 in any spelling, or a title (the runner resolves it to Document.key)
//   $limit  int     how many documents (default 10)
//
// Example:
//   graphbuild query co_citation --param doc=晋财教〔2023〕81号 --param limit=5 --backend neo4j
MATCH (d:Document {key: $doc})<-[:CITES]-(p:Project)-[:CITES]->(o:Document)
WHERE o <> d
RETURN o.key AS document, o.title AS title, o.level AS level, count(DISTINCT p) AS projects
ORDER BY projects DESC, document
LIMIT $limit
