// graphbuild schema v1 for Neo4j 5, applied by `graphbuild load` before every load
// (each statement is idempotent: IF NOT EXISTS).
//
// Every node has the label of its networkx `label` attribute and its key in the property
// `key` (for every label: Project.key = '<source stem>#<table ordinal>', Department.key =
// '<county>/<code>' such as '襄垣县/101' (the disclosure's county and the 主管部门 code, which
// every county numbers alike; the bare code, in Department.code too, when the county is not
// known), Unit.key = name, Document.key = canonical 文号 or 'title:<title>', Authority.key =
// name, Indicator.key = '<project key>/<n>'). Every relationship has a stable `id`: a hash of
// its two ends, its type and what tells two such edges apart (CITES: field and start;
// ISSUED_BY: source). Loads MERGE on these, so loading twice changes nothing.

CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT department_key IF NOT EXISTS FOR (n:Department) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT unit_key IF NOT EXISTS FOR (n:Unit) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT document_key IF NOT EXISTS FOR (n:Document) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT authority_key IF NOT EXISTS FOR (n:Authority) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT indicator_key IF NOT EXISTS FOR (n:Indicator) REQUIRE n.key IS UNIQUE;

CREATE CONSTRAINT belongs_to_id IF NOT EXISTS FOR ()-[r:BELONGS_TO]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT implemented_by_id IF NOT EXISTS FOR ()-[r:IMPLEMENTED_BY]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT part_of_id IF NOT EXISTS FOR ()-[r:PART_OF]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT cites_id IF NOT EXISTS FOR ()-[r:CITES]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT issued_by_id IF NOT EXISTS FOR ()-[r:ISSUED_BY]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT forwards_id IF NOT EXISTS FOR ()-[r:FORWARDS]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT has_indicator_id IF NOT EXISTS FOR ()-[r:HAS_INDICATOR]-() REQUIRE r.id IS UNIQUE;

// Lookups the query pack makes.
CREATE INDEX project_dept_code IF NOT EXISTS FOR (n:Project) ON (n.dept_code);
CREATE INDEX department_name IF NOT EXISTS FOR (n:Department) ON (n.name);
CREATE INDEX department_code IF NOT EXISTS FOR (n:Department) ON (n.code);
CREATE INDEX document_doc_no IF NOT EXISTS FOR (n:Document) ON (n.doc_no);
CREATE INDEX document_title IF NOT EXISTS FOR (n:Document) ON (n.title);
CREATE INDEX document_level IF NOT EXISTS FOR (n:Document) ON (n.level);
CREATE INDEX cites_field IF NOT EXISTS FOR ()-[r:CITES]-() ON (r.field);

// Full text: project names, document titles and numbers, for `graphbuild query search`.
// The keyword analyzer keeps each value whole, so a wildcard query *text* is a substring
// match: Chinese has no spaces, and the standard analyzer would cut it into single characters
// and rank them by a score the embedded store cannot reproduce. In the Browser:
//   CALL db.index.fulltext.queryNodes('search', '*义务教育*') YIELD node RETURN node
// (escape Lucene's special characters and spaces with a backslash: '*晋财教〔2023〕81号*').
// `graphbuild load` replaces a `search` index made with another analyzer.
CREATE FULLTEXT INDEX search IF NOT EXISTS FOR (n:Project|Document) ON EACH [n.name, n.title, n.doc_no]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
