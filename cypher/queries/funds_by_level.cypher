// funds_by_level: what each department's money rests on. Every project counts once, under
// the highest level among the documents it cites — 中央 > 省 > 市 > 县 > 乡镇 > unknown (no or
// an unplaced level) — or under none when it cites nothing. One row per department: its
// projects, their funds (实施期资金总额, 元) and those funds split by level; most money first.
// dept_code is the bare code, dept_key the department's key (two counties' 101 differ).
// Same answer as graphbuild.queries.funds_by_level.
//
// Parameters:
//   $dept   string  a department's key, exact name or code (e.g. 101), or * for all (default *)
//   $field  string  count only citations from this field (e.g. 立项依据), or * for any (default *)
//
// A department is named by its key (襄垣县/101: the county, then the 主管部门 code), its exact
// name, or its bare code (101), which names that code's department in every county.
//
// Example:
//   graphbuild query funds_by_level --param field=立项依据 --backend neo4j
MATCH (dep:Department)
WHERE $dept = '*' OR dep.key = $dept OR dep.name = $dept OR dep.code = $dept
MATCH (p:Project)-[:BELONGS_TO]->(dep)
OPTIONAL MATCH (p)-[c:CITES]->(d:Document) WHERE $field = '*' OR c.field = $field
WITH dep, p, min(CASE WHEN d IS NULL THEN 6
                      WHEN d.level = '中央' THEN 0 WHEN d.level = '省' THEN 1
                      WHEN d.level = '市' THEN 2 WHEN d.level = '县' THEN 3
                      WHEN d.level = '乡镇' THEN 4 ELSE 5 END) AS rank
WITH dep, p, rank, coalesce(p.funds_total, 0.0) AS f
RETURN dep.code AS dept_code, dep.name AS department, dep.key AS dept_key, count(p) AS projects,
       round(sum(f), 2) AS funds,
       round(sum(CASE rank WHEN 0 THEN f ELSE 0.0 END), 2) AS `中央`,
       round(sum(CASE rank WHEN 1 THEN f ELSE 0.0 END), 2) AS `省`,
       round(sum(CASE rank WHEN 2 THEN f ELSE 0.0 END), 2) AS `市`,
       round(sum(CASE rank WHEN 3 THEN f ELSE 0.0 END), 2) AS `县`,
       round(sum(CASE rank WHEN 4 THEN f ELSE 0.0 END), 2) AS `乡镇`,
       round(sum(CASE rank WHEN 5 THEN f ELSE 0.0 END), 2) AS unknown,
       round(sum(CASE rank WHEN 6 THEN f ELSE 0.0 END), 2) AS `none`
ORDER BY funds DESC, dept_code, dept_key
