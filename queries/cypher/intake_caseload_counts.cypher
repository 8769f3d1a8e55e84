// title: Caseload counts per coach
// answers: How many households does each wijkcoach hold on $today (counts only, every coach, also those with none)?
// params: $today
MATCH (c:Professional {is_coach: true})
OPTIONAL MATCH (c)-[a:COACHES]->(h:Household)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
RETURN c.id AS professional_id, c.name AS coach, count(DISTINCT h) AS households
ORDER BY professional_id
