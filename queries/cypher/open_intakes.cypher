// title: Open intakes
// answers: Which households have an intake signal (on or before $today) that no coach assignment followed — no coach active on or after the signal's date — and in which area? Pseudonyms and areas only.
// params: $today
MATCH (s:Signal)-[:ABOUT]->(h:Household)
WHERE s.date <= $today
  AND NOT EXISTS {
    MATCH (:Professional)-[a:COACHES]->(h)
    WHERE coalesce(a.until, date('9999-12-31')) >= s.date
  }
WITH DISTINCT h
OPTIONAL MATCH (h)-[:IN_AREA]->(area:Area)
RETURN h.id AS household_id, coalesce(area.code, h.area_code) AS area_code, area.name AS area_name
ORDER BY area_code, household_id
