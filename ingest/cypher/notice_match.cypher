// Signals (ingest.matching, graph.notice_rules): match the new involvements $ids against every involvement
// active on $as_of on the same person, the same household (household-level work, or every active member for a
// household-level involvement), or a parent/child of that person (membership roles $parents / $children; a parent
// in the client system counts for a child), and tell each professional about the other one — once: the key is
// (recipient, own involvement, other involvement). The household's active coach gets a `new_involvement`
// signal instead (notice_coach.cypher). A signal is one node without relationships: every read finds it by
// its `recipient` / `household_id` / `key` (indexed). Parameters: $ids, $as_of, $parents, $children, $now, $run
UNWIND $ids AS nid
MATCH (pn:Professional)-[:PERFORMS]->(n:Involvement {id: nid})
WHERE n.since <= $as_of AND (n.until IS NULL OR n.until >= $as_of)  // an ended involvement makes none
CALL (n) {
  MATCH (n)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
  WHERE coalesce(m.since, $as_of) <= $as_of AND coalesce(m.until, $as_of) >= $as_of
  WITH s, m, CASE WHEN s:Household THEN s ELSE hm END AS h
  CALL (s, m, h) {
    WITH s, m, h WHERE h IS NOT NULL
    OPTIONAL MATCH (h)-[m2:HAS_MEMBER]->(o:Person)
    WHERE o <> s AND coalesce(m2.since, $as_of) <= $as_of AND coalesce(m2.until, $as_of) >= $as_of
      AND (s:Household OR (m.role IN $children AND m2.role IN $parents)
           OR (m.role IN $parents AND m2.role IN $children))
    OPTIONAL MATCH (q:Person)-[c:IN_CLIENT_SYSTEM]->(h)
    WHERE m IS NOT NULL AND m.role IN $children AND c.relation IN $parents
      AND coalesce(c.since, $as_of) <= $as_of AND coalesce(c.until, $as_of) >= $as_of
    RETURN collect(DISTINCT o) + collect(DISTINCT q) AS kin
  }
  WITH s, h, kin
  ORDER BY h.id
  RETURN collect(DISTINCT s) AS subjects, collect(DISTINCT h) AS households,
         reduce(acc = [], k IN collect(kin) | acc + k) AS related
}
WITH n, pn, head(households) AS h, subjects + households + related AS linked
UNWIND linked AS x
MATCH (e:Involvement)-[:CONCERNS]->(x)
WHERE e <> n AND e.since <= $as_of AND (e.until IS NULL OR e.until >= $as_of)
WITH DISTINCT n, pn, h, e
MATCH (pe:Professional)-[:PERFORMS]->(e)-[:ON_BEHALF_OF]->(oe:Organisation)
WHERE pe <> pn
MATCH (n)-[:ON_BEHALF_OF]->(on:Organisation)
UNWIND [[pe, e, pn, n, on], [pn, n, pe, e, oe]] AS t
WITH t[0] AS rcpt, t[1] AS own, t[2] AS op, t[3] AS other, t[4] AS oorg, h
// the household's coach hears of it as the coach (notice_coach.cypher), not twice
WHERE h IS NULL OR NOT EXISTS {
  MATCH (rcpt)-[r:COACHES]->(h) WHERE r.since <= $as_of AND coalesce(r.until, $as_of) >= $as_of
}
WITH 'match|' + rcpt.id + '|' + own.id + '|' + other.id AS key, rcpt, own, op, other, oorg, h
// once: a key already made (an earlier pass, an earlier chunk) is looked up in the Notice key index and skipped;
// a pair whose two involvements are both in this chunk comes up twice and is made once
WHERE NOT EXISTS { MATCH (:Notice {key: key}) }
WITH key, head(collect([rcpt, own, op, other, oorg, h])) AS t
WITH key, t[0] AS rcpt, t[1] AS own, t[2] AS op, t[3] AS other, t[4] AS oorg, t[5] AS h
CREATE (k:Notice {key: key, kind: 'match', recipient: rcpt.id, household_id: h.id,
                  date: CASE WHEN own.since > other.since THEN own.since ELSE other.since END,
                  created_at: $now, run: $run, status: 'new', own_involvement: own.id,
                  own_life_domain: own.life_domain, other_involvement: other.id,
                  other_organisation: oorg.name, other_organisation_id: oorg.id, other_professional: op.name,
                  other_professional_id: op.id, other_function: other.function,
                  other_life_domain: other.life_domain, other_since: other.since, contact: op.phone})
RETURN count(k) AS created
