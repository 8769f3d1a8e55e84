// Signals: each new involvement $ids on a household (directly or through an active member) that has an active
// coach other than its own professional makes one `new_involvement` notice for the household: key (household,
// involvement), keys only (household, involvement, date = its start, created, source); the coaches who read it
// and the contact details are found at read time (queries/cypher/notices_inbox.cypher). Made once (a key already
// made is looked up in the key index and skipped; $ids are distinct). The day is $as_of, or (null) the
// involvement's own start. Returns every household touched (for the thresholds).
// Parameters: $ids, $as_of, $from, $now
UNWIND $ids AS nid
MATCH (pn:Professional)-[:PERFORMS]->(n:Involvement {id: nid})
WITH pn, n, coalesce($as_of, n.since) AS day
WHERE n.since >= $from AND n.since <= day AND (n.until IS NULL OR n.until >= day)  // an ended one makes none
MATCH (n)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WHERE coalesce(m.since, day) <= day AND coalesce(m.until, day) >= day
WITH DISTINCT pn, n, day, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL
CALL (pn, n, day, h) {
  WITH * WHERE EXISTS {
    MATCH (c:Professional)-[r:COACHES]->(h) WHERE c <> pn AND r.since <= day AND coalesce(r.until, day) >= day }
  WITH n, h, 'new_involvement|' + h.id + '|' + n.id AS key
  WHERE NOT EXISTS { MATCH (:Notice {key: key}) }
  CREATE (k:Notice {key: key, kind: 'new_involvement', household_id: h.id, involvement: n.id, date: n.since,
                    created_at: $now, source: coalesce(n.source, 'wijknet:matching')})
  RETURN count(k) AS made
}
RETURN h.id AS household_id, sum(made) AS created
