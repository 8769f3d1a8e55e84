// Load participation-ladder scores. Parameters: $rows [{id, person_id, date, rung, source}]
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MERGE (s:LadderScore {id: row.id})
SET s.date = row.date, s.rung = row.rung, s.source = row.source
MERGE (p)-[r:HAS_SCORE]->(s)
SET r.source = row.source
