// Load households (one per normalised address). Parameters: $rows [{id, address_key, postcode, house_number, suffix, street, area_code, housing_corporation, source}]
// A household that moved to another area (a changed register export) keeps one IN_AREA: the old one goes.
UNWIND $rows AS row
MATCH (a:Area {code: row.area_code})
MERGE (h:Household {id: row.id})
SET h.address_key = row.address_key, h.postcode = row.postcode, h.house_number = row.house_number,
    h.suffix = row.suffix, h.street = row.street, h.area_code = row.area_code,
    h.housing_corporation = row.housing_corporation, h.source = row.source
WITH h, a, row
CALL (h, a) {
  MATCH (h)-[old:IN_AREA]->(other:Area)
  WHERE other <> a
  DELETE old
}
MERGE (h)-[r:IN_AREA]->(a)
SET r.source = row.source
