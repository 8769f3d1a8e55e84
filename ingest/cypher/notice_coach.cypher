// Signals: the active coach(es) of each household the new involvements $ids concern (directly or through an
// active member) hear of each one that is not their own: key (coach, household, involvement), made once (a key
// already made is looked up in the Notice key index and skipped; $ids are distinct). One node per signal, no
// relationships (the reads go by `recipient` / `household_id`).
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
WITH DISTINCT pn, n, on, h, c
WITH pn, n, on, h, c, CASE WHEN c IS NULL THEN null ELSE 'new_involvement|' + c.id + '|' + h.id + '|' + n.id END AS key
WITH pn, n, on, h, c, key, key IS NOT NULL AND NOT EXISTS { MATCH (:Notice {key: key}) } AS fresh
CALL (pn, n, on, h, c, key, fresh) {
  WITH * WHERE fresh
  CREATE (k:Notice {key: key, kind: 'new_involvement', recipient: c.id, household_id: h.id, date: n.since,
                    created_at: $now, run: $run, status: 'new', other_involvement: n.id,
                    other_organisation: on.name, other_organisation_id: on.id, other_professional: pn.name,
                    other_professional_id: pn.id, other_function: n.function,
                    other_life_domain: n.life_domain, other_since: n.since, contact: pn.phone})
  RETURN count(k) AS made
}
RETURN h.id AS household_id, sum(made) AS created
