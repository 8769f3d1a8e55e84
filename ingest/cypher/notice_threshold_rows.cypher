// Signals: the involvements active on $as_of on the households $households (directly or through an active
// member), in the columns of queries.analytics.overlap.COLUMNS, for the threshold rules. Parameters: $households, $as_of
UNWIND $households AS hid
MATCH (h:Household {id: hid})
CALL (h) {
  MATCH (i:Involvement)-[:CONCERNS]->(h)
  RETURN i, h.id AS subject, null AS msince, null AS muntil
  UNION
  MATCH (h)-[m:HAS_MEMBER]->(s:Person)<-[:CONCERNS]-(i:Involvement)
  RETURN i, s.id AS subject, m.since AS msince, m.until AS muntil
}
WITH h, i, subject, msince, muntil
WHERE i.since <= $as_of AND (i.until IS NULL OR i.until >= $as_of)
  AND coalesce(msince, $as_of) <= $as_of AND coalesce(muntil, $as_of) >= $as_of
MATCH (p:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
RETURN h.id AS household_id, null AS area, null AS area_kind, p.id AS professional_id, o.id AS organisation_id,
       i.function AS function, i.life_domain AS life_domain, subject AS subject_id, i.since AS since, i.until AS until
