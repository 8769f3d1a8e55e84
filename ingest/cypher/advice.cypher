// Load expert advice given under a mandate. Parameters: $rows [{id, mandate_id, professional_id, household_id, date, outcome, source}]
UNWIND $rows AS row
MATCH (m:Mandate {id: row.mandate_id})
MATCH (p:Professional {id: row.professional_id})
MATCH (h:Household {id: row.household_id})
MERGE (a:Advice {id: row.id})
SET a.date = row.date, a.outcome = row.outcome, a.source = row.source
MERGE (p)-[r1:GAVE]->(a)
SET r1.source = row.source
MERGE (a)-[r2:UNDER]->(m)
SET r2.source = row.source
MERGE (a)-[r3:ABOUT]->(h)
SET r3.source = row.source
