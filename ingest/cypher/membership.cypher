// Load household membership. Parameters: $rows [{household_id, person_id, role, since, until, source}]
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
MATCH (p:Person {id: row.person_id})
MERGE (h)-[m:HAS_MEMBER]->(p)
SET m.role = row.role, m.since = row.since, m.until = row.until, m.source = row.source
