// search: projects and documents whose name, title or 文号 (doc_no) contains a text — a
// case-sensitive substring match, through the full-text index `search` (keyword analyzer,
// queried as *text* with Lucene's special characters escaped, so the text is never parsed as
// a query). The index's own score is constant for such queries and is not used: rows rank
// 0 when a property equals the text, 1 when one starts with it, 2 when one contains it, then
// Document before Project, most citations, most funds (Project.funds_total or
// Document.funds_cited), key. Same answer as graphbuild.queries.search. The runner trims the
// text, and a whole 文号 in any spelling (晋财教[2023]81号) becomes its canonical form.
//
// Parameters:
//   $q      string  the text to look for, e.g. 义务教育 or 晋财教〔2023〕81号
//   $limit  int     how many rows (default 25)
//
// Example:
//   graphbuild query search --param q=义务教育 --backend neo4j
WITH reduce(s = '', ch IN split($q, '') |
       s + CASE WHEN ch IN ['\\', '+', '-', '&', '|', '!', '(', ')', '{', '}', '[', ']', '^',
                            '"', '~', '*', '?', ':', '/', ' ', '\t', '\n', '\r', '\u3000']
                THEN '\\' + ch ELSE ch END) AS escaped
CALL db.index.fulltext.queryNodes('search', '*' + escaped + '*') YIELD node AS n
WITH n, [v IN [n.name, n.title, n.doc_no] WHERE v IS :: STRING NOT NULL] AS values
WHERE any(v IN values WHERE v CONTAINS $q)
WITH n, CASE WHEN $q IN values THEN 0
             WHEN any(v IN values WHERE v STARTS WITH $q) THEN 1 ELSE 2 END AS rank
WITH n, rank, CASE WHEN n:Project THEN 'Project' ELSE 'Document' END AS kind
RETURN kind, n.key AS key, coalesce(n.name, n.title) AS name, n.doc_no AS doc_no,
       n.level AS level,
       CASE kind WHEN 'Project' THEN null ELSE coalesce(n.citations, 0) END AS citations,
       round(coalesce(CASE kind WHEN 'Project' THEN n.funds_total ELSE n.funds_cited END, 0.0),
             2) AS funds,
       rank
ORDER BY rank, kind, coalesce(citations, 0) DESC, funds DESC, key
LIMIT $limit
