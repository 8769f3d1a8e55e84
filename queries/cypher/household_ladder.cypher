// title: Participation-ladder scores
// answers: Which participation-ladder rung did each member of the household reach, on which dates?
// params: $household_id
MATCH (h:Household {id: $household_id})-[:HAS_MEMBER]->(p:Person)-[:HAS_SCORE]->(s:LadderScore)
RETURN DISTINCT p.id AS person_id, s.date AS date, s.rung AS rung
ORDER BY person_id, date
