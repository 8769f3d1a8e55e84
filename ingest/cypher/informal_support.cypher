// Load informal support. Parameters: $rows [{supporter_id, person_id, kind, since, until, source}]
UNWIND $rows AS row
MATCH (s:Person {id: row.supporter_id})
MATCH (p:Person {id: row.person_id})
MERGE (s)-[r:INFORMAL_SUPPORT]->(p)
SET r.kind = row.kind, r.since = row.since, r.until = row.until, r.source = row.source
