// Load goals per life domain. Parameters: $rows [{id, plan_id, life_domain, description, status, source}]
UNWIND $rows AS row
MATCH (p:Plan {id: row.plan_id})
MERGE (g:Goal {id: row.id})
SET g.life_domain = row.life_domain, g.description = row.description, g.status = row.status, g.source = row.source
MERGE (p)-[r:HAS_GOAL]->(g)
SET r.source = row.source
