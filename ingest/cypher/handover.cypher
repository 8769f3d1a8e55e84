// Load explicit handovers between two involvements. Parameters: $rows [{id, from_involvement_id, to_involvement_id, date, reason, source}]
UNWIND $rows AS row
MATCH (a:Involvement {id: row.from_involvement_id})
MATCH (b:Involvement {id: row.to_involvement_id})
MERGE (h:Handover {id: row.id})
SET h.date = row.date, h.reason = row.reason, h.source = row.source
MERGE (h)-[r1:FROM]->(a)
SET r1.source = row.source
MERGE (h)-[r2:TO]->(b)
SET r2.source = row.source
