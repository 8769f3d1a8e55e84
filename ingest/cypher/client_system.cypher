// Load client-system ties outside the household. Parameters: $rows [{household_id, person_id, relation, since, until, source}]
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
MATCH (p:Person {id: row.person_id})
MERGE (p)-[c:IN_CLIENT_SYSTEM]->(h)
SET c.relation = row.relation, c.since = row.since, c.until = row.until, c.source = row.source
