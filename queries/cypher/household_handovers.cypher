// title: Handovers within a household
// answers: Which explicit handovers (from which involvement to which, when, why) touched this household's involvements?
// params: $household_id
MATCH (h:Household {id: $household_id})
CALL (h) {
  MATCH (i:Involvement)-[:CONCERNS]->(h)
  RETURN i
  UNION
  MATCH (h)-[:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(i:Involvement)
  RETURN i
}
MATCH (ho:Handover)-[:FROM]->(i)
MATCH (ho)-[:TO]->(j:Involvement)
RETURN DISTINCT ho.id AS id, ho.date AS date, ho.reason AS reason, i.id AS from_id, j.id AS to_id
ORDER BY date, id
