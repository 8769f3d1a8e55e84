// title: Retention: involvement data past its term
// answers: Which involvements, handovers, referrals and caseload assignments ended before the cut-off, with the kept earlier versions of those facts (FactVersion) and the readers' statuses of signals about those involvements (NoticeState) (counted, and deleted when $apply is true)?
// params: $cutoff, $apply
CALL () {
  MATCH (i:Involvement) WHERE i.until IS NOT NULL AND i.until < $cutoff
  RETURN collect(i) AS invs
}
CALL (invs) {
  OPTIONAL MATCH (h:Handover)-[:FROM|TO]->(i:Involvement) WHERE i IN invs
  RETURN collect(DISTINCT h) AS hos
}
CALL () {
  MATCH (r:Referral) WHERE coalesce(r.started_at, r.accepted_at, r.date) < $cutoff
  RETURN collect(r) AS refs
}
CALL () {
  OPTIONAL MATCH (:Professional)-[c:COACHES]->(:Household) WHERE c.until IS NOT NULL AND c.until < $cutoff
  RETURN collect(c) AS assignments
}
WITH invs, hos, refs, assignments, [n IN invs + hos + refs WHERE n.id IS NOT NULL | n.id] AS ids
CALL (ids) {
  OPTIONAL MATCH (v:FactVersion) WHERE v.version_of IN ids
  RETURN collect(v) AS versions
}
// a status's key is the signal's key and the reader, joined by '|' (queries/notices.py)
CALL (ids) {
  OPTIONAL MATCH (s:NoticeState) WHERE any(part IN split(s.key, '|') WHERE part IN ids)
  RETURN collect(s) AS states
}
CALL (invs, hos, refs, assignments, versions, states) {
  WITH invs, hos, refs, assignments, versions, states WHERE $apply
  FOREACH (n IN hos + invs + refs + versions + states | DETACH DELETE n)
  FOREACH (c IN assignments | DELETE c)
}
RETURN size(invs) AS involvements, size(hos) AS handovers, size(refs) AS referrals,
       size(assignments) AS caseload_assignments, size(versions) AS fact_versions, size(states) AS signal_states
