// Load goals per life domain: set on `since`, the status reached on `status_since` (before it: in progress).
// Parameters: $rows [{id, plan_id, life_domain, description, status, since, status_since, source}]
UNWIND $rows AS row
MATCH (p:Plan {id: row.plan_id})
MERGE (g:Goal {id: row.id})
SET g.life_domain = row.life_domain, g.description = row.description, g.status = row.status, g.since = row.since,
    g.status_since = row.status_since, g.source = row.source
MERGE (p)-[r:HAS_GOAL]->(g)
SET r.source = row.source
