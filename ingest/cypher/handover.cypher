// Load explicit handovers between two involvements. Parameters: $rows [{id, from_involvement_id, to_involvement_id, date, reason, source}]
UNWIND $rows AS row
MATCH (a:Involvement {id: row.from_involvement_id})
MATCH (b:Involvement {id: row.to_involvement_id})
MERGE (h:Handover {id: row.id})
SET h.date = row.date, h.reason = row.reason, h.source = row.source
// A corrected record may name other involvements: the handover keeps only the new ones
// (tests/integration/test_loader_updates.py).
WITH h, a, b, row
CALL (h, a, b) {
  MATCH (h)-[old:FROM|TO]->(x:Involvement)
  WHERE (type(old) = 'FROM' AND x <> a) OR (type(old) = 'TO' AND x <> b)
  DELETE old
}
MERGE (h)-[r1:FROM]->(a)
SET r1.source = row.source
MERGE (h)-[r2:TO]->(b)
SET r2.source = row.source
