// title: Caseload per coach
// answers: Which households (pseudonyms only) is each wijkcoach assigned to on $today?
// params: $today
MATCH (c:Professional {is_coach: true})
OPTIONAL MATCH (c)-[a:COACHES]->(h:Household)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
WITH c, collect(DISTINCT h.id) AS households
RETURN c.id AS professional_id, c.name AS coach, households
ORDER BY professional_id
