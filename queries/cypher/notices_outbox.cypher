// title: Signals outbox per organisation
// answers: Which open match signals are addressed to professionals of each organisation (by the organisation of their own involvement), for organisations whose staff have no account?
// params: organisation (organisation id or null = all); skip (professional ids that read their signals in the app)
MATCH (k:Notice {kind: 'match'})
WHERE k.status <> 'done' AND NOT k.recipient IN $skip
MATCH (i:Involvement {id: k.own_involvement})-[:ON_BEHALF_OF]->(o:Organisation)
WHERE $organisation IS NULL OR o.id = $organisation
RETURN o.id AS organisation_id, o.name AS organisation, k.recipient AS recipient, k.own_involvement AS own_involvement,
       k.own_life_domain AS own_life_domain, k.other_organisation AS other_organisation,
       k.other_professional AS other_professional, k.other_function AS other_function,
       k.other_life_domain AS other_life_domain, k.other_since AS other_since, k.contact AS contact,
       k.date AS day, k.key AS key
ORDER BY organisation_id, recipient, day, key
