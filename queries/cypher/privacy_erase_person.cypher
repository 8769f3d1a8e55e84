// title: Erase one person
// answers: Remove a person, their edges and what only concerned them (involvements, handovers, referrals, ladder scores, consents), the kept earlier versions of those facts and of the person's client-system and informal-support ties (FactVersion), and the readers' statuses of signals about them (NoticeState); counts when $apply is false, and the ids removed (for the ingest side store).
// params: $person_id, $apply
MATCH (p:Person {id: $person_id})
OPTIONAL MATCH (i:Involvement)-[:CONCERNS]->(p)
  WHERE NOT EXISTS { MATCH (i)-[:CONCERNS]->(other) WHERE other <> p }
WITH p, collect(DISTINCT i) AS invs
OPTIONAL MATCH (h:Handover)-[:FROM|TO]->(x:Involvement) WHERE x IN invs
WITH p, invs, collect(DISTINCT h) AS hos
OPTIONAL MATCH (r:Referral)-[:CONCERNS]->(p)
WITH p, invs, hos, collect(DISTINCT r) AS refs
OPTIONAL MATCH (p)-[:HAS_SCORE|GAVE_CONSENT]->(o)
WITH p, invs, hos, refs, collect(DISTINCT o) AS owned, COUNT { (p)--() } AS edges
WITH p, invs, hos, refs, owned, edges,
     [p.id] + [n IN invs + hos + refs + owned WHERE n.id IS NOT NULL | n.id] AS ids
// an earlier version names its fact by id (a tie: the person's id, or `supporter>member`)
CALL (ids) {
  OPTIONAL MATCH (v:FactVersion)
    WHERE v.version_of IN ids OR any(part IN split(v.version_of, '>') WHERE part IN ids)
  RETURN collect(v) AS versions
}
// a status's key is the signal's key and the reader, joined by '|' (queries/notices.py)
CALL (ids) {
  OPTIONAL MATCH (s:NoticeState) WHERE any(part IN split(s.key, '|') WHERE part IN ids)
  RETURN collect(s) AS states
}
CALL (p, invs, hos, refs, owned, versions, states) {
  WITH p, invs, hos, refs, owned, versions, states WHERE $apply
  FOREACH (n IN hos + invs + refs + owned + versions + states | DETACH DELETE n)
  DETACH DELETE p
}
RETURN size(invs) AS involvements, size(hos) AS handovers, size(refs) AS referrals, size(owned) AS owned_nodes,
       edges, size(versions) AS fact_versions, size(states) AS signal_states, ids
