// title: What was recorded about a household, with its history
// answers: For the coach's workspace on the household page: the members (to choose from), every fact a coach can record or correct for this household (client-system persons outside it, informal supporters and neighbours, advice under a mandate with the partner's decision, goals, agreements and sanctions, ladder scores, the coach's own involvements, consultations, referrals, consents), each with its version, who recorded it (source) and when, and the kept earlier versions (FactVersion). Need-to-know in the same read: with $coach_scope set, no row unless that professional coaches the household on $today.
// params: $household_id, $coach_scope, $today
MATCH (h:Household {id: $household_id})
WHERE $coach_scope IS NULL OR EXISTS {
  MATCH (:Professional {id: $coach_scope})-[a:COACHES]->(h)
  WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
}
CALL (h) {
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person)
  WITH p, m ORDER BY m.since, p.id
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year, role: m.role,
    since: m.since, until: m.until} END) AS members
}
CALL (h) {
  OPTIONAL MATCH (p:Person)-[c:IN_CLIENT_SYSTEM]->(h)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {kind: 'client_system', id: p.id, version: coalesce(c.version, 0),
    source: c.source, recorded_at: c.recorded_at, correction: c.correction_reason, name: p.display_name, relation: c.relation,
    since: c.since, until: c.until} END) AS client_system
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_MEMBER]->(m:Person)<-[s:INFORMAL_SUPPORT]-(p:Person)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {kind: 'informal_support', id: p.id + '>' + m.id,
    version: coalesce(s.version, 0), source: s.source, recorded_at: s.recorded_at, correction: s.correction_reason,
    name: p.display_name, member_id: m.id, support: s.kind, neighbour: EXISTS { (p)-[:NEIGHBOUR_OF]-(m) },
    since: s.since, until: s.until} END) AS informal_support
}
CALL (h) {
  OPTIONAL MATCH (pr:Professional)-[:GAVE]->(a:Advice)-[:ABOUT]->(h)
  OPTIONAL MATCH (a)-[:UNDER]->(m:Mandate)<-[:GRANTS]-(o:Organisation)
  RETURN collect(CASE WHEN a IS NOT NULL THEN {kind: 'advice', id: a.id, version: coalesce(a.version, 0),
    source: a.source, recorded_at: a.recorded_at, correction: a.correction_reason, date: a.date, decision_asked: a.decision_asked,
    outcome: a.outcome, decided_at: a.decided_at, mandate_id: m.id, decision_type: m.decision_type,
    organisation_name: o.name, professional_name: pr.name} END) AS advice
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_PLAN]->(:Plan)-[:HAS_GOAL]->(g:Goal)
  RETURN collect(CASE WHEN g IS NOT NULL THEN {kind: 'goal', id: g.id, version: coalesce(g.version, 0),
    source: g.source, recorded_at: g.recorded_at, correction: g.correction_reason, life_domain: g.life_domain,
    description: g.description, status: g.status, since: g.since, status_since: g.status_since} END) AS goal
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_PLAN]->(:Plan)-[:HAS_AGREEMENT]->(a:Agreement)
  RETURN collect(CASE WHEN a IS NOT NULL THEN {kind: 'agreement', id: a.id, version: coalesce(a.version, 0),
    source: a.source, recorded_at: a.recorded_at, correction: a.correction_reason, agreement_kind: a.kind, text: a.text,
    in_return: a.in_return, date: a.date, due: a.due, status: a.status, status_since: a.status_since,
    outcome: a.outcome} END) AS agreement
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_MEMBER]->(p:Person)-[:HAS_SCORE]->(s:LadderScore)
  WITH DISTINCT p, s
  RETURN collect(CASE WHEN s IS NOT NULL THEN {kind: 'ladder_score', id: s.id, version: coalesce(s.version, 0),
    source: s.source, recorded_at: s.recorded_at, correction: s.correction_reason, person_id: p.id, rung: s.rung, date: s.date}
    END) AS ladder_score
}
CALL (h) {
  OPTIONAL MATCH (pr:Professional)-[:PERFORMS]->(i:Involvement)-[:CONCERNS]->(h)
  WHERE i.recorded_at IS NOT NULL
  RETURN collect(CASE WHEN i IS NOT NULL THEN {kind: 'involvement', id: i.id, version: coalesce(i.version, 0),
    source: i.source, recorded_at: i.recorded_at, correction: i.correction_reason, life_domain: i.life_domain, role: i.role,
    since: i.since, until: i.until, professional_id: pr.id, professional_name: pr.name} END) AS involvement
}
CALL (h) {
  OPTIONAL MATCH (c:Consultation)-[:ABOUT]->(h)
  CALL (c) {
    OPTIONAL MATCH (p:Professional)-[:ATTENDED]->(c)
    RETURN collect(p.name) AS attended, collect(p.id) AS attended_ids
  }
  RETURN collect(CASE WHEN c IS NOT NULL THEN {kind: 'consultation', id: c.id, version: coalesce(c.version, 0),
    source: c.source, recorded_at: c.recorded_at, correction: c.correction_reason, date: c.date, consultation_kind: c.kind,
    attended: attended, attended_ids: attended_ids} END) AS consultation
}
CALL (h) {
  CALL (h) {
    MATCH (r:Referral)-[:CONCERNS]->(h)
    RETURN r, null AS person_id
    UNION
    MATCH (h)-[:HAS_MEMBER]->(p:Person)<-[:CONCERNS]-(r:Referral)
    RETURN r, p.id AS person_id
  }
  OPTIONAL MATCH (r)-[:REFERRED_TO]->(o:Organisation)
  RETURN collect({kind: 'referral', id: r.id, version: coalesce(r.version, 0), source: r.source,
    recorded_at: r.recorded_at, correction: r.correction_reason, date: r.date, life_domain: r.life_domain,
    referral_reason: r.reason, accepted_at: r.accepted_at, started_at: r.started_at, person_id: person_id,
    organisation_id: o.id, organisation_name: o.name}) AS referral
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_MEMBER]->(p:Person)-[:GAVE_CONSENT]->(c:Consent)-[:TO]->(o:Organisation)
  WITH DISTINCT p, c, o
  RETURN collect(CASE WHEN c IS NOT NULL THEN {kind: 'consent', id: c.id, version: coalesce(c.version, 0),
    source: c.source, recorded_at: c.recorded_at, correction: c.correction_reason, person_id: p.id, scope: c.scope,
    signed_at: c.signed_at, until: c.until, organisation_id: o.id, organisation_name: o.name} END) AS consent
}
CALL (h) {
  OPTIONAL MATCH (v:FactVersion {household_id: h.id})
  WITH v ORDER BY v.version_of, v.version
  RETURN collect(properties(v)) AS history
}
RETURN h.id AS id, members, client_system + informal_support + advice + goal + agreement + ladder_score + involvement
       + consultation + referral + consent AS facts, history
