// Signals: the active coach(es) of each household the new involvements $ids concern (directly or through an
// active member) hear of each one that is not their own: key (coach, household, involvement).
// Returns the households touched (for the thresholds). Parameters: $ids, $as_of, $now, $run
UNWIND $ids AS nid
MATCH (pn:Professional)-[:PERFORMS]->(n:Involvement {id: nid})-[:ON_BEHALF_OF]->(on:Organisation)
WHERE n.since <= $as_of AND (n.until IS NULL OR n.until >= $as_of)  // an ended involvement makes none
MATCH (n)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WHERE coalesce(m.since, $as_of) <= $as_of AND coalesce(m.until, $as_of) >= $as_of
WITH DISTINCT pn, n, on, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL
OPTIONAL MATCH (c:Professional)-[r:COACHES]->(h)
WHERE r.since <= $as_of AND coalesce(r.until, $as_of) >= $as_of AND c <> pn
CALL (c, h, n, pn, on) {
  WITH c WHERE c IS NOT NULL
  MERGE (k:Notice {key: 'new_involvement|' + c.id + '|' + h.id + '|' + n.id})
    ON CREATE SET k.kind = 'new_involvement', k.recipient = c.id, k.household_id = h.id, k.date = n.since,
                  k.created_at = $now, k.run = $run, k.status = 'new', k.other_involvement = n.id,
                  k.other_organisation = on.name, k.other_organisation_id = on.id, k.other_professional = pn.name,
                  k.other_professional_id = pn.id, k.other_function = n.function,
                  k.other_life_domain = n.life_domain, k.other_since = n.since, k.contact = pn.phone
  WITH k WHERE k.run = $run
  MERGE (k)-[:NOTIFIES]->(c)
  MERGE (k)-[:ABOUT]->(h)
  RETURN count(k) AS made
}
RETURN h.id AS household_id, sum(made) AS created
