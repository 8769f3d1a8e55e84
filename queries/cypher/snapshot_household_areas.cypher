// title: Area and coach intake per household (input of the overlap snapshot)
// answers: In which area (and area kind) is each household, and when did a wijkcoach first take it on (null if never)? Read once per change of the graph into the overlap snapshot (queries.snapshot); never shown as rows.
// params: (none)
MATCH (h:Household)
OPTIONAL MATCH (h)-[:IN_AREA]->(a:Area)
OPTIONAL MATCH (:Professional)-[r:COACHES]->(h)
WITH h, a, min(r.since) AS intake
// One row per area with a list per column ('' = never coached: collect() would skip a null).
WITH a, collect(coalesce(h.id, '')) AS household, collect(coalesce(toString(intake), '')) AS intake
RETURN a.code AS area, household, intake
