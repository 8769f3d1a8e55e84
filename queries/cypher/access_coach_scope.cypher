// title: Coach scope of one household
// answers: Does this coach hold an active caseload assignment for this household today (need-to-know check)?
// params: $professional_id, $household_id, $today
// Both ends are sought by id (hints): with the index statistics off, the planner scanned every household's id
// (tests/integration/test_lookup_plans.py).
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household {id: $household_id})
USING INDEX SEEK c:Professional(id)
USING INDEX SEEK h:Household(id)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
RETURN count(a) > 0 AS allowed
