// title: A coach's caseload
// answers: Which households is this coach assigned to on $today, since when, and where are they?
// params: $professional_id, $today
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household)
USING INDEX SEEK c:Professional(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
RETURN h.id AS id, h.street AS street, h.house_number AS house_number, h.suffix AS suffix,
       h.postcode AS postcode, h.area_code AS area_code, a.since AS since,
       COUNT { (h)-[m:HAS_MEMBER]->() WHERE m.since <= $today AND (m.until IS NULL OR m.until >= $today) }
         AS members
ORDER BY since, id
