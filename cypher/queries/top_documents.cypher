// top_documents: the documents cited by the most projects, with the funds (实施期资金总额)
// of the projects citing them. Same answer as graphbuild.queries.top_documents.
//
// Parameters:
//   $limit  int  how many documents (default 10)
//
// Example:
//   graphbuild query top_documents --param limit=20 --backend neo4j
MATCH (d:Document)
WITH d, coalesce(d.citations, 0) AS projects, round(coalesce(d.funds_cited, 0.0), 2) AS funds
RETURN d.key AS document, coalesce(d.title, '') AS title, d.level AS level, projects, funds
ORDER BY projects DESC, funds DESC, document
LIMIT $limit
