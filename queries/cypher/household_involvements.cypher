// title: Involvements with a household
// answers: Which professionals, on behalf of which organisations, were involved with this household or its members (while they were members), in which life domain, role and period?
// params: $household_id
MATCH (h:Household {id: $household_id})
CALL (h) {
  MATCH (i:Involvement)-[:CONCERNS]->(h)
  RETURN i
  UNION
  MATCH (h)-[m:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(i:Involvement)
  // only what happened while the person belonged to this household
  WHERE i.since <= coalesce(m.until, date('9999-12-31')) AND coalesce(i.until, date('9999-12-31')) >= m.since
  RETURN i
}
MATCH (pr:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
CALL (h, i) {
  OPTIONAL MATCH (i)-[:CONCERNS]->(p:Person)<-[:HAS_MEMBER]-(h)
  RETURN collect(DISTINCT p.id) AS person_ids
}
RETURN i.id AS id, pr.id AS professional_id, pr.name AS professional_name, pr.phone AS phone,
       coalesce(i.function, pr.function) AS function, o.id AS organisation_id, o.name AS organisation_name,
       i.life_domain AS life_domain, i.role AS role, i.since AS since, i.until AS until,
       person_ids, EXISTS { (i)-[:CONCERNS]->(h) } AS household_level
ORDER BY since, id
