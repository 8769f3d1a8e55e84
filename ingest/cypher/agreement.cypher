// Load agreements and announced sanctions (`status_since`: when the status was reached; before it the agreement
// is open, the sanction announced). Parameters: $rows [{id, plan_id, kind, text, date, due, status, status_since,
// source}]
UNWIND $rows AS row
MATCH (p:Plan {id: row.plan_id})
MERGE (a:Agreement {id: row.id})
SET a.kind = row.kind, a.text = row.text, a.date = row.date, a.due = row.due, a.status = row.status,
    a.status_since = row.status_since, a.source = row.source
MERGE (p)-[r:HAS_AGREEMENT]->(a)
SET r.source = row.source
