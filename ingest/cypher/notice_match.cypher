// Signals (ingest.matching, graph.notice_rules): match the new involvements $ids against every involvement
// active on the day on the same person, the same household (household-level work, or every active member for a
// household-level involvement), or a parent/child of that person (membership roles $parents / $children; a parent
// in the client system counts for a child). The day is $as_of, or (null) each involvement's own start (the demo
// replays its history so). Only keys are written; who is told and the contact details are read at read time
// (queries/cypher/notices_inbox.cypher):
// * `new_involvement`, once per (household, involvement), when the household has an active coach other than the
//   involvement's own professional (its coaches read it);
// * `match`, once per matched PAIR (key 'match|<a>|<b>', a < b): the professional of each side reads it about the
//   other side, except the `quiet` side whose professional coaches the household (told as the coach, above).
// The household's coaches are looked up once per new involvement. A key already made (an earlier pass, an earlier
// chunk) is looked up in the key index and skipped; a pair whose two involvements are both in this chunk comes up
// twice and is made once. Returns how many of each were made and the households touched (for the thresholds).
// Parameters: $ids, $as_of, $from, $parents, $children, $now
UNWIND $ids AS nid
MATCH (pn:Professional)-[:PERFORMS]->(n:Involvement {id: nid})
WITH pn, n, coalesce($as_of, n.since) AS day
WHERE n.since >= $from AND n.since <= day AND (n.until IS NULL OR n.until >= day)  // an ended one makes none
CALL (n, day) {
  MATCH (n)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
  WHERE coalesce(m.since, day) <= day AND coalesce(m.until, day) >= day
  WITH s, m, CASE WHEN s:Household THEN s ELSE hm END AS h
  CALL (s, m, h, day) {
    WITH s, m, h, day WHERE h IS NOT NULL
    OPTIONAL MATCH (h)-[m2:HAS_MEMBER]->(o:Person)
    WHERE o <> s AND coalesce(m2.since, day) <= day AND coalesce(m2.until, day) >= day
      AND (s:Household OR (m.role IN $children AND m2.role IN $parents)
           OR (m.role IN $parents AND m2.role IN $children))
    OPTIONAL MATCH (q:Person)-[c:IN_CLIENT_SYSTEM]->(h)
    WHERE m IS NOT NULL AND m.role IN $children AND c.relation IN $parents
      AND coalesce(c.since, day) <= day AND coalesce(c.until, day) >= day
    RETURN collect(DISTINCT o) + collect(DISTINCT q) AS kin
  }
  WITH s, h, kin
  ORDER BY h.id
  RETURN collect(DISTINCT s) AS subjects, collect(DISTINCT h) AS households,
         reduce(acc = [], k IN collect(kin) | acc + k) AS related
}
WITH n, pn, day, head(households) AS h, subjects + households + related AS linked
CALL (h, day) {
  OPTIONAL MATCH (c:Professional)-[r:COACHES]->(h)
  WHERE r.since <= day AND coalesce(r.until, day) >= day
  RETURN collect(c.id) AS coaches
}
CALL (n, pn, h, coaches) {
  WITH n, pn, h, coaches WHERE h IS NOT NULL AND any(c IN coaches WHERE c <> pn.id)
  WITH n, h, 'new_involvement|' + h.id + '|' + n.id AS key
  WHERE NOT EXISTS { MATCH (:Notice {key: key}) }
  CREATE (k:Notice {key: key, kind: 'new_involvement', household_id: h.id, involvement: n.id, date: n.since,
                    created_at: $now, source: coalesce(n.source, 'wijknet:matching')})
  RETURN count(k) AS made
}
WITH collect({n: n, pn: pn, day: day, h: h, coaches: coaches, linked: linked}) AS rows, sum(made) AS new_made,
     collect(DISTINCT h.id) AS households
CALL (rows) {
  UNWIND rows AS r
  WITH r.n AS n, r.pn AS pn, r.day AS day, r.h AS h, r.coaches AS coaches, r.linked AS linked
  UNWIND linked AS x
  MATCH (e:Involvement)-[:CONCERNS]->(x)
  WHERE e <> n AND e.since <= day AND (e.until IS NULL OR e.until >= day)
  WITH DISTINCT n, pn, h, coaches, e
  MATCH (pe:Professional)-[:PERFORMS]->(e)
  WHERE pe <> pn AND NOT (pn.id IN coaches AND pe.id IN coaches)
  WITH n, e, h, CASE WHEN pn.id IN coaches THEN n.id WHEN pe.id IN coaches THEN e.id END AS quiet,
       CASE WHEN n.id < e.id THEN [n.id, e.id] ELSE [e.id, n.id] END AS ab
  WITH 'match|' + ab[0] + '|' + ab[1] AS key, ab, n, e, h, quiet
  WHERE NOT EXISTS { MATCH (:Notice {key: key}) }
  WITH key, head(collect([ab, n, e, h, quiet])) AS t
  WITH key, t[0] AS ab, t[1] AS n, t[2] AS e, t[3] AS h, t[4] AS quiet
  CREATE (k:Notice {key: key, kind: 'match', a: ab[0], b: ab[1], household_id: h.id,
                    date: CASE WHEN n.since > e.since THEN n.since ELSE e.since END, created_at: $now,
                    source: coalesce(n.source, 'wijknet:matching'), quiet: quiet})
  RETURN count(k) AS created
}
RETURN created, new_made, households
