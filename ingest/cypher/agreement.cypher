// Load agreements and announced sanctions. Parameters: $rows [{id, plan_id, kind, text, date, due, status, source}]
UNWIND $rows AS row
MATCH (p:Plan {id: row.plan_id})
MERGE (a:Agreement {id: row.id})
SET a.kind = row.kind, a.text = row.text, a.date = row.date, a.due = row.due, a.status = row.status,
    a.source = row.source
MERGE (p)-[r:HAS_AGREEMENT]->(a)
SET r.source = row.source
