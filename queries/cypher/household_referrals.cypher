// title: Referrals for a household
// answers: Who referred this household or one of its members to which organisation, when, and was the referral accepted and the help started?
// params: $household_id
MATCH (h:Household {id: $household_id})
CALL (h) {
  MATCH (r:Referral)-[:CONCERNS]->(h)
  RETURN r, null AS person_id
  UNION
  MATCH (h)-[:HAS_MEMBER]->(p:Person)<-[:CONCERNS]-(r:Referral)
  RETURN r, p.id AS person_id
}
MATCH (pr:Professional)-[:REFERRED]->(r)-[:REFERRED_TO]->(o:Organisation)
RETURN r.id AS id, r.date AS date, r.life_domain AS life_domain, r.accepted_at AS accepted_at,
       r.started_at AS started_at, r.reason AS reason, person_id, pr.id AS professional_id,
       pr.name AS professional_name, o.id AS organisation_id, o.name AS organisation_name
ORDER BY date, id
