// Load joint consultations (overleg) about a household. Parameters: $rows [{id, household_id, date, professional_ids, kind, source}]
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
MERGE (c:Consultation {id: row.id})
SET c.date = row.date, c.kind = row.kind, c.source = row.source
MERGE (c)-[r:ABOUT]->(h)
SET r.source = row.source
WITH c, row
UNWIND coalesce(row.professional_ids, []) AS pid
MATCH (p:Professional {id: pid})
MERGE (p)-[a:ATTENDED]->(c)
SET a.source = row.source
