// title: Erase one household
// answers: Remove a household, its members who belong to no other household, the people of its client system outside it whose only tie is to it (or to those members), their edges and what concerned only them (involvements, handovers, referrals, ladder scores, consents, plans with goals and agreements, signals, advice and consultations about the household), its caseload assignments, the kept earlier versions of those facts (FactVersion) and the readers' statuses of signals about them (NoticeState); counts when $apply is false, and the ids and address key removed (for the ingest side store and the erasure register).
// params: $household_id, $apply
MATCH (h:Household {id: $household_id})
OPTIONAL MATCH (h)-[:HAS_MEMBER]->(p:Person)
  WHERE NOT EXISTS { MATCH (p)<-[:HAS_MEMBER]-(other:Household) WHERE other <> h }
WITH h, collect(DISTINCT p) AS members
// people of the client system outside the household (family elsewhere, a neighbour, an informal supporter): tied to
// it or to a member who goes. One whose every tie is to those goes too (what they own with them: scores,
// consents); one with any other tie (a membership, an involvement, another client system, someone who stays)
// keeps it and only loses the edge.
CALL (h, members) {
  OPTIONAL MATCH (q:Person)-[:IN_CLIENT_SYSTEM|NEIGHBOUR_OF|INFORMAL_SUPPORT]-(t)
    WHERE (t = h OR t IN members) AND NOT q IN members AND NOT (h)-[:HAS_MEMBER]->(q)
  WITH DISTINCT q WHERE q IS NOT NULL
  WITH q, COUNT { MATCH (q)-[e]-(o) WHERE NOT type(e) IN ['HAS_SCORE', 'GAVE_CONSENT'] AND o <> h
                  AND NOT o IN members } AS ties
  RETURN collect(CASE WHEN ties = 0 THEN q END) AS lone, count(CASE WHEN ties > 0 THEN q END) AS kept_outside
}
WITH h, members + lone AS members, size(lone) AS erased_outside, kept_outside, [m IN lone | m.id] AS outside_ids
WITH h, members, erased_outside, kept_outside, outside_ids, [h] + members AS gone
// an involvement or referral shared with someone who stays only loses its edge to them
CALL (gone) {
  OPTIONAL MATCH (i:Involvement)-[:CONCERNS]->(t) WHERE t IN gone
  WITH DISTINCT i WHERE i IS NOT NULL
  WITH i, COUNT { MATCH (i)-[:CONCERNS]->(o) WHERE NOT o IN gone } AS others WHERE others = 0
  RETURN collect(i) AS invs
}
CALL (invs) {
  OPTIONAL MATCH (x:Handover)-[:FROM|TO]->(i:Involvement) WHERE i IN invs
  RETURN collect(DISTINCT x) AS hos
}
CALL (gone) {
  OPTIONAL MATCH (r:Referral)-[:CONCERNS]->(t) WHERE t IN gone
  RETURN collect(DISTINCT r) AS refs
}
CALL (h, members) {
  OPTIONAL MATCH (m)-[:HAS_SCORE|GAVE_CONSENT]->(o) WHERE m IN members
  WITH h, collect(DISTINCT o) AS scored
  OPTIONAL MATCH (h)-[:HAS_PLAN]->(pl:Plan)
  OPTIONAL MATCH (pl)-[:HAS_GOAL|HAS_AGREEMENT]->(g)
  WITH h, scored, collect(DISTINCT pl) + collect(DISTINCT g) AS planned
  OPTIONAL MATCH (a)-[:ABOUT]->(h)
  WITH scored, planned, collect(DISTINCT a) AS about
  RETURN scored + planned + about AS owned
}
CALL (gone) {
  OPTIONAL MATCH (n)-[e]-() WHERE n IN gone
  RETURN count(DISTINCT e) AS edges
}
WITH h, members, erased_outside, kept_outside, outside_ids, invs, hos, refs, owned, edges,
     COUNT { ()-[:COACHES]->(h) } AS caseload_assignments,
     [h.id] + [n IN members + invs + hos + refs + owned WHERE n.id IS NOT NULL | n.id] AS ids
// an earlier version names its fact by id (a tie: `supporter>member`) and the household it was recorded for
CALL (h, ids) {
  OPTIONAL MATCH (v:FactVersion)
    WHERE v.household_id = h.id OR v.version_of IN ids OR any(part IN split(v.version_of, '>') WHERE part IN ids)
  RETURN collect(v) AS versions
}
// a status's key is the signal's key and the reader, joined by '|' (queries/notices.py)
CALL (ids) {
  OPTIONAL MATCH (s:NoticeState) WHERE any(part IN split(s.key, '|') WHERE part IN ids)
  RETURN collect(s) AS states
}
WITH h, members, erased_outside, kept_outside, invs, hos, refs, owned, edges, caseload_assignments, ids, versions,
     states, h.address_key AS address_key, [m IN members | m.id] AS member_ids, outside_ids
CALL (h, members, invs, hos, refs, owned, versions, states) {
  WITH h, members, invs, hos, refs, owned, versions, states WHERE $apply
  FOREACH (n IN hos + invs + refs + owned + versions + states + members | DETACH DELETE n)
  DETACH DELETE h
}
RETURN size(member_ids) - erased_outside AS members, erased_outside, kept_outside, size(invs) AS involvements,
       size(hos) AS handovers, size(refs) AS referrals,
       size(owned) AS owned_nodes, edges, caseload_assignments, size(versions) AS fact_versions,
       size(states) AS signal_states, ids, member_ids, address_key
