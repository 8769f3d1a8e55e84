// title: Signals outbox per organisation
// answers: Which open match signals reach professionals of each organisation (by the organisation of their own involvement), for organisations whose staff have no account?
// params: organisation (organisation id or null = all); skip (professional ids that read their signals in the app)
// A match is one notice per pair: each side's professional (not the `quiet` coach) is told about the other side.
MATCH (k:Notice {kind: 'match'})
UNWIND [[k.a, k.b], [k.b, k.a]] AS side
WITH k, side[0] AS own_id, side[1] AS other_id
WHERE own_id <> coalesce(k.quiet, '')
MATCH (rp:Professional)-[:PERFORMS]->(own:Involvement {id: own_id})-[:ON_BEHALF_OF]->(o:Organisation)
WHERE NOT rp.id IN $skip AND ($organisation IS NULL OR o.id = $organisation)
OPTIONAL MATCH (s:NoticeState {key: k.key + '|' + rp.id})
WITH k, rp, own, o, other_id, coalesce(s.status, 'new') AS status
WHERE status <> 'done'
MATCH (op:Professional)-[:PERFORMS]->(other:Involvement {id: other_id})
OPTIONAL MATCH (other)-[:ON_BEHALF_OF]->(oorg:Organisation)
RETURN o.id AS organisation_id, o.name AS organisation, rp.id AS recipient, own.id AS own_involvement,
       own.life_domain AS own_life_domain, oorg.name AS other_organisation, op.name AS other_professional,
       other.function AS other_function, other.life_domain AS other_life_domain, other.since AS other_since,
       op.phone AS contact, k.date AS day, k.key AS key
ORDER BY organisation_id, recipient, day, key
