// Signals: the handovers between $from and $as_of of cases of the households $households (the receiving
// involvement concerns the household or a member), as handover events for queries.analytics.communities.
// Parameters: $households, $from, $as_of
UNWIND $households AS hid
MATCH (h:Household {id: hid})
CALL (h) {
  MATCH (b:Involvement)-[:CONCERNS]->(h)
  RETURN b
  UNION
  MATCH (h)-[:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(b:Involvement)
  RETURN b
}
MATCH (ho:Handover)-[:TO]->(b), (ho)-[:FROM]->(a:Involvement)
WHERE ho.date >= $from AND ho.date <= $as_of
MATCH (a)-[:ON_BEHALF_OF]->(oa:Organisation)
MATCH (b)-[:ON_BEHALF_OF]->(ob:Organisation)
RETURN DISTINCT h.id AS household_id, coalesce(b.life_domain, a.life_domain) AS life_domain,
       oa.id AS from_organisation, ob.id AS to_organisation, oa.name AS from_name, ob.name AS to_name,
       ho.date AS date, ho.id AS handover_id
