// Load signals that start a case. Parameters: $rows [{id, household_id, date, channel, source}]
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
MERGE (s:Signal {id: row.id})
SET s.date = row.date, s.channel = row.channel, s.source = row.source
MERGE (s)-[r:ABOUT]->(h)
SET r.source = row.source
