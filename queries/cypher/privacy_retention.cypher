// title: Retention: involvement data past its term
// answers: Which involvements, handovers, referrals and caseload assignments ended before the cut-off (counted, and deleted when $apply is true)?
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
CALL (invs, hos, refs, assignments) {
  WITH invs, hos, refs, assignments WHERE $apply
  FOREACH (n IN hos + invs + refs | DETACH DELETE n)
  FOREACH (c IN assignments | DELETE c)
}
RETURN size(invs) AS involvements, size(hos) AS handovers, size(refs) AS referrals,
       size(assignments) AS caseload_assignments
