// title: Coach caseload today
// answers: Which households may this coach open today (active caseload assignments)?
// params: $professional_id, $today
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household)
USING INDEX SEEK c:Professional(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
RETURN DISTINCT h.id AS household_id ORDER BY household_id
