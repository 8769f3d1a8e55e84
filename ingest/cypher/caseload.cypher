// Load coach caseload assignments. Parameters: $rows [{professional_id, household_id, since, until, source}]
UNWIND $rows AS row
MATCH (c:Professional {id: row.professional_id})
MATCH (h:Household {id: row.household_id})
MERGE (c)-[r:COACHES]->(h)
SET r.since = row.since, r.until = row.until, r.source = row.source
