// title: A coach's caseload, triaged
// answers: For every household this coach is assigned to on $today, in one read: where it is, since when, how many members, the involvements active on $today (with the household itself, or with someone who is a member on $today, as on the household page), the advice about it that awaits a decision, its agreements overdue on $today (due date passed, status not in $closed_statuses), and the last home visit of this coach (a consultation of a kind in $visit_kinds that the coach attended).
// params: $professional_id, $today, $closed_statuses, $visit_kinds
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household)
USING INDEX SEEK c:Professional(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
CALL (h) {
  // From the household, never from an index of all involvements: the patterns test no property of an involvement
  // (the periods are tested on the lists), so no index of theirs can be planned — with the test in the pattern the
  // planner read the Involvement(since) index when its statistics were off (tests/integration/test_lookup_plans.py).
  UNWIND [x IN [(i:Involvement)-[:CONCERNS]->(h) | {i: i}]
               + [(h)-[m:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(i:Involvement) | {i: i, m: m}]
          WHERE x.i.since <= $today AND (x.i.until IS NULL OR x.i.until >= $today)
            AND (x.m IS NULL OR (x.m.since <= $today AND (x.m.until IS NULL OR x.m.until >= $today)))
          | x.i] AS i
  WITH DISTINCT h, i
  MATCH (pr:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
  CALL (h, i) {
    OPTIONAL MATCH (i)-[:CONCERNS]->(p:Person)<-[:HAS_MEMBER]-(h)
    RETURN collect(DISTINCT p.id) AS person_ids
  }
  RETURN collect({id: i.id, professional_id: pr.id, organisation_id: o.id, life_domain: i.life_domain,
    role: i.role, function: coalesce(i.function, pr.function), since: i.since, until: i.until,
    person_ids: person_ids, household_level: EXISTS { (i)-[:CONCERNS]->(h) }}) AS involvements
}
CALL (c, h) {
  OPTIONAL MATCH (c)-[:ATTENDED]->(k:Consultation)-[:ABOUT]->(h)
  WHERE k.kind IN $visit_kinds AND k.date <= $today
  RETURN max(k.date) AS last_visit
}
RETURN h.id AS id, h.street AS street, h.house_number AS house_number, h.suffix AS suffix,
       h.postcode AS postcode, h.area_code AS area_code, a.since AS since,
       COUNT { (h)-[m:HAS_MEMBER]->() WHERE m.since <= $today AND (m.until IS NULL OR m.until >= $today) }
         AS members,
       involvements,
       COUNT { (adv:Advice)-[:ABOUT]->(h) WHERE adv.outcome IS NULL AND (adv.date IS NULL OR adv.date <= $today) }
         AS advice_pending,
       COUNT { (h)-[:HAS_PLAN]->(:Plan)-[:HAS_AGREEMENT]->(ag:Agreement)
               WHERE ag.due < $today AND NOT coalesce(ag.status, '') IN $closed_statuses } AS agreements_overdue,
       last_visit
ORDER BY since, id
