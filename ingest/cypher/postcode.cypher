// Load the postcode → area table: a PC6 (7533AB) or PC4 (7533) code in one area. Parameters: $rows [{code, area_code, source}]
// A postcode moved to another area (a changed table) keeps one IN_AREA: the old one goes.
UNWIND $rows AS row
MATCH (a:Area {code: row.area_code})
MERGE (p:Postcode {code: row.code})
SET p.area_code = row.area_code, p.source = row.source
WITH p, a, row
CALL (p, a) {
  MATCH (p)-[old:IN_AREA]->(other:Area)
  WHERE other <> a
  DELETE old
}
MERGE (p)-[r:IN_AREA]->(a)
SET r.source = row.source
