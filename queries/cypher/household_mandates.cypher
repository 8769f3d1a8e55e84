// title: A coach's mandates
// answers: Which mandates does this coach hold (granting organisation, life domain, decision type, periods) and whom at the partner should they call (the buddy)?
// params: $professional_id
MATCH (c:Professional {id: $professional_id})-[hd:HOLDS]->(m:Mandate)<-[g:GRANTS]-(o:Organisation)
OPTIONAL MATCH (m)-[:BUDDY]->(b:Professional)
RETURN m.id AS id, m.life_domain AS life_domain, m.decision_type AS decision_type, o.id AS organisation_id,
       o.name AS organisation_name, hd.since AS held_since, hd.until AS held_until, g.since AS granted_since,
       g.until AS granted_until, b.name AS buddy_name, b.phone AS buddy_phone, b.function AS buddy_function
ORDER BY life_domain, organisation_name, id
