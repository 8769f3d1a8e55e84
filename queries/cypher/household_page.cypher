// title: A household's whole client system
// answers: Everything the coach page shows about one household over its whole history, in one read: where it is, who lives there and who else belongs to its client system (roles, periods), the coaches, which professionals of which organisations were involved with the household or its members (while they were members), the handovers touching them, the referrals of the household and of its members while members, the plan (goals, agreements, sanctions), the members' participation-ladder scores given while they were members, the coach's advice about the household and the partners' decisions on it, and the mandates of the coach asking ($professional_id; null for other roles). Need-to-know is checked in the same read: with $coach_scope set (a coach), no row comes back unless that professional coaches the household on $today (as access_coach_scope).
// params: $household_id, $professional_id, $coach_scope, $today
MATCH (h:Household {id: $household_id})
WHERE $coach_scope IS NULL OR EXISTS {
  MATCH (:Professional {id: $coach_scope})-[a:COACHES]->(h)
  WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
}
OPTIONAL MATCH (h)-[:IN_AREA]->(a:Area)
CALL (h) {
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'member', role: m.role, since: m.since, until: m.until} END) AS members
}
CALL (h) {
  OPTIONAL MATCH (p:Person)-[c:IN_CLIENT_SYSTEM]->(h)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'client_system', role: c.relation, since: c.since, until: c.until} END) AS client_system
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_MEMBER]->(m:Person)<-[s:INFORMAL_SUPPORT]-(p:Person)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'informal', role: s.kind, since: s.since, until: s.until, supports: m.id} END) AS informal
}
CALL (h) {
  OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
  // the organisation the coach works for (the latest, when they changed): the brief's contact row names it
  CALL (c) {
    OPTIONAL MATCH (c)-[w:WORKS_FOR]->(o:Organisation)
    WITH o, w ORDER BY w.since DESC
    RETURN collect(o.name)[0] AS organisation
  }
  RETURN collect(CASE WHEN c IS NOT NULL THEN {professional_id: c.id, name: c.name, phone: c.phone,
    organisation: organisation, since: a.since, until: a.until} END) AS coaches
}
// Involvements with the household itself or with a member, each with whether it fell in the membership.
CALL (h) {
  CALL (h) {
    MATCH (i:Involvement)-[:CONCERNS]->(h)
    RETURN i, true AS in_membership
    UNION
    MATCH (h)-[m:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(i:Involvement)
    RETURN i, i.since <= coalesce(m.until, date('9999-12-31'))
              AND coalesce(i.until, date('9999-12-31')) >= m.since AS in_membership
  }
  WITH i, any(x IN collect(in_membership) WHERE x) AS shown
  RETURN collect(i) AS touching, collect(CASE WHEN shown THEN i END) AS shown
}
CALL (h, shown) {
  UNWIND shown AS i
  MATCH (pr:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
  CALL (h, i) {
    OPTIONAL MATCH (i)-[:CONCERNS]->(p:Person)<-[:HAS_MEMBER]-(h)
    RETURN collect(DISTINCT p.id) AS person_ids
  }
  WITH i, pr, o, person_ids ORDER BY i.since, i.id
  RETURN collect({id: i.id, professional_id: pr.id, professional_name: pr.name, phone: pr.phone,
    function: coalesce(i.function, pr.function), organisation_id: o.id, organisation_name: o.name,
    life_domain: i.life_domain, role: i.role, since: i.since, until: i.until, person_ids: person_ids,
    household_level: EXISTS { (i)-[:CONCERNS]->(h) }, seen: i.seen}) AS involvements
}
CALL (touching) {
  UNWIND touching AS i
  MATCH (ho:Handover)-[:FROM]->(i)
  MATCH (ho)-[:TO]->(j:Involvement)
  WITH DISTINCT ho, i, j ORDER BY ho.date, ho.id
  RETURN collect({id: ho.id, date: ho.date, reason: ho.reason, from_id: i.id, to_id: j.id}) AS handovers
}
CALL (h) {
  CALL (h) {
    MATCH (r:Referral)-[:CONCERNS]->(h)
    RETURN r, null AS person_id
    UNION
    // a member's referral made while a member (as the involvements): not one of their life in another household
    MATCH (h)-[m:HAS_MEMBER]->(p:Person)<-[:CONCERNS]-(r:Referral)
    WHERE (NOT m.since IS :: DATE NOT NULL OR r.date >= m.since) AND (NOT m.until IS :: DATE NOT NULL OR r.date <= m.until)
    RETURN DISTINCT r, p.id AS person_id
  }
  MATCH (pr:Professional)-[:REFERRED]->(r)-[:REFERRED_TO]->(o:Organisation)
  WITH r, person_id, pr, o ORDER BY r.date, r.id
  RETURN collect({id: r.id, date: r.date, life_domain: r.life_domain, accepted_at: r.accepted_at,
    started_at: r.started_at, reason: r.reason, person_id: person_id, professional_id: pr.id,
    professional_name: pr.name, organisation_id: o.id, organisation_name: o.name}) AS referrals
}
// The plan: goals (date: the day a goal was set) and agreements, each with the day its status was reached and the
// statuses of its earlier versions (FactVersion, when a coach corrected it), so the page shows each on its date.
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_PLAN]->(p:Plan)
  CALL (p) {
    MATCH (p)-[:HAS_GOAL]->(g:Goal)
    RETURN 'goal' AS item, g AS fact, g.life_domain AS life_domain, g.description AS text, g.since AS date,
           null AS due, null AS in_return
    UNION ALL
    MATCH (p)-[:HAS_AGREEMENT]->(a:Agreement)
    RETURN a.kind AS item, a AS fact, null AS life_domain, a.text AS text, a.date AS date, a.due AS due,
           a.in_return AS in_return
  }
  CALL (h, fact) {
    OPTIONAL MATCH (v:FactVersion {version_of: fact.id})
    WHERE v.household_id = h.id
    WITH v ORDER BY v.version
    RETURN collect(CASE WHEN v IS NOT NULL THEN {status: v.status, status_since: v.status_since,
      start: coalesce(v.since, v.date)} END) AS earlier
  }
  WITH p, item, fact, life_domain, text, date, due, in_return, earlier
  ORDER BY p.created_at, item, coalesce(date, p.created_at), fact.id
  RETURN collect({plan_id: p.id, item: item, id: fact.id, life_domain: life_domain, text: text, status: fact.status,
    status_since: fact.status_since, date: date, due: due, in_return: in_return, earlier: earlier}) AS plan
}
CALL (h) {
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person)-[:HAS_SCORE]->(s:LadderScore)
  // scored while a member (a membership date stored as text — an old load — limits nothing: the page reports it)
  WHERE (NOT m.since IS :: DATE NOT NULL OR s.date >= m.since) AND (NOT m.until IS :: DATE NOT NULL OR s.date <= m.until)
  WITH DISTINCT p, s WHERE s IS NOT NULL
  WITH p, s ORDER BY p.id, s.date
  RETURN collect({person_id: p.id, date: s.date, rung: s.rung}) AS ladder
}
CALL (h) {
  OPTIONAL MATCH (adv:Advice)-[:ABOUT]->(h)
  OPTIONAL MATCH (adv)-[:UNDER]->(am:Mandate)<-[:GRANTS]-(ao:Organisation)
  WITH DISTINCT adv, am, ao WHERE adv IS NOT NULL
  WITH adv, am, ao ORDER BY adv.date, adv.id
  RETURN collect({id: adv.id, date: adv.date, outcome: adv.outcome, decided_at: adv.decided_at, life_domain: am.life_domain,
    decision_type: am.decision_type, organisation_name: ao.name}) AS advice
}
CALL () {
  OPTIONAL MATCH (c:Professional {id: $professional_id})-[hd:HOLDS]->(m:Mandate)<-[g:GRANTS]-(o:Organisation)
  OPTIONAL MATCH (m)-[:BUDDY]->(b:Professional)
  WITH m, o, hd, g, b WHERE m IS NOT NULL
  WITH m, o, hd, g, b ORDER BY m.life_domain, o.name, m.id
  RETURN collect({id: m.id, life_domain: m.life_domain, decision_type: m.decision_type, organisation_id: o.id,
    organisation_name: o.name, organisation_aliases: o.aliases, held_since: hd.since, held_until: hd.until, granted_since: g.since,
    granted_until: g.until, buddy_name: b.name, buddy_phone: b.phone, buddy_function: b.function}) AS mandates
}
RETURN h.id AS id, h.street AS street, h.house_number AS house_number, h.suffix AS suffix,
       h.postcode AS postcode, h.area_code AS area_code, a.name AS area_name, a.kind AS area_kind,
       h.housing_corporation AS housing_corporation, members, client_system, informal, coaches,
       involvements, handovers, referrals, plan, ladder, mandates, advice
