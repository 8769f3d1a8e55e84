// Load plans (plan van aanpak). Parameters: $rows [{id, household_id, created_at, source}]
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
MERGE (p:Plan {id: row.id})
SET p.created_at = row.created_at, p.source = row.source
MERGE (h)-[r:HAS_PLAN]->(p)
SET r.source = row.source
