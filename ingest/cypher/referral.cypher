// Load referrals. Parameters: $rows [{id, professional_id, organisation_id, date, life_domain, accepted_at, started_at, reason, person_id, household_id, source}]
UNWIND $rows AS row
MATCH (p:Professional {id: row.professional_id})
MATCH (o:Organisation {id: row.organisation_id})
MERGE (r:Referral {id: row.id})
SET r.date = row.date, r.life_domain = row.life_domain, r.accepted_at = row.accepted_at,
    r.started_at = row.started_at, r.reason = row.reason, r.source = row.source
// A corrected record may name another professional, organisation or subject: the referral keeps only the new ones
// (tests/integration/test_loader_updates.py).
WITH r, p, o, row
CALL (r, p, o) {
  OPTIONAL MATCH (x:Professional)-[old:REFERRED]->(r) WHERE x <> p
  DELETE old
}
CALL (r, o) {
  OPTIONAL MATCH (r)-[old:REFERRED_TO]->(x:Organisation) WHERE x <> o
  DELETE old
}
CALL (r) {
  OPTIONAL MATCH (r)-[old:CONCERNS]->()
  DELETE old
}
MERGE (p)-[e1:REFERRED]->(r)
SET e1.source = row.source
MERGE (r)-[e2:REFERRED_TO]->(o)
SET e2.source = row.source
WITH r, row
CALL (r, row) {
  WITH r, row WHERE row.person_id IS NOT NULL
  MATCH (m:Person {id: row.person_id})
  MERGE (r)-[c:CONCERNS]->(m)
  SET c.source = row.source
}
CALL (r, row) {
  WITH r, row WHERE row.household_id IS NOT NULL
  MATCH (h:Household {id: row.household_id})
  MERGE (r)-[c:CONCERNS]->(h)
  SET c.source = row.source
}
