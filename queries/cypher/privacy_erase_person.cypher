// title: Erase one person
// answers: Remove a person, their edges and what only concerned them (involvements, handovers, referrals, ladder scores, consents); counts when $apply is false.
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
CALL (p, invs, hos, refs, owned) {
  WITH p, invs, hos, refs, owned WHERE $apply
  FOREACH (n IN hos + invs + refs + owned | DETACH DELETE n)
  DETACH DELETE p
}
RETURN size(invs) AS involvements, size(hos) AS handovers, size(refs) AS referrals, size(owned) AS owned_nodes,
       edges
