// title: Coach intake per household
// answers: When did a wijkcoach first take on each coached household? Used only inside queries.aggregates.
// params: area (area code or null = all)
MATCH (:Professional)-[r:COACHES]->(h:Household)-[:IN_AREA]->(a:Area)
WHERE $area IS NULL OR a.code = $area
RETURN h.id AS household_id, a.code AS area, min(r.since) AS intake
ORDER BY household_id
