// funds_by_level: what each department's money rests on. Every project counts once, under
// the highest level among the documents it cites — 中央 > 省 > 市 > 县 > 乡镇 > unknown (no or
// an unplaced level) — or under none when it cites nothing. One row per department: its
// projects, their funds (实施期资金总额, 元) and those funds split by level; most money first.
// Same answer as graphbuild.queries.funds_by_level.
//
// Parameters:
//   $dept   string  a department code (e.g. 101) or exact name, or * for every department (default *)
//   $field  string  count only citations from this field (e.g. 立项依据), or * for any (default *)
//
// Example:
//   graphbuild query funds_by_level --param field=立项依据 --backend neo4j
MATCH (dep:Department) WHERE $dept = '*' OR dep.key = $dept OR dep.name = $dept
MATCH (p:Project)-[:BELONGS_TO]->(dep)
OPTIONAL MATCH (p)-[c:CITES]->(d:Document) WHERE $field = '*' OR c.field = $field
WITH dep, p, min(CASE WHEN d IS NULL THEN 6
                      WHEN d.level = '中央' THEN 0 WHEN d.level = '省' THEN 1
                      WHEN d.level = '市' THEN 2 WHEN d.level = '县' THEN 3
                      WHEN d.level = '乡镇' THEN 4 ELSE 5 END) AS rank
WITH dep, p, rank, coalesce(p.funds_total, 0.0) AS f
RETURN dep.key AS dept_code, dep.name AS department, count(p) AS projects,
       round(sum(f), 2) AS funds,
       round(sum(CASE rank WHEN 0 THEN f ELSE 0.0 END), 2) AS `中央`,
       round(sum(CASE rank WHEN 1 THEN f ELSE 0.0 END), 2) AS `省`,
       round(sum(CASE rank WHEN 2 THEN f ELSE 0.0 END), 2) AS `市`,
       round(sum(CASE rank WHEN 3 THEN f ELSE 0.0 END), 2) AS `县`,
       round(sum(CASE rank WHEN 4 THEN f ELSE 0.0 END), 2) AS `乡镇`,
       round(sum(CASE rank WHEN 5 THEN f ELSE 0.0 END), 2) AS unknown,
       round(sum(CASE rank WHEN 6 THEN f ELSE 0.0 END), 2) AS `none`
ORDER BY funds DESC, dept_code
