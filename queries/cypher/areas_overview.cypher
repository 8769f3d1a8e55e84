// title: Areas and their households
// answers: Which areas are loaded, of which kind, with how many households and coached households?
// params: (none)
MATCH (a:Area)
OPTIONAL MATCH (h:Household)-[:IN_AREA]->(a)
WITH a, count(h) AS households
OPTIONAL MATCH (:Professional)-[:COACHES]->(ch:Household)-[:IN_AREA]->(a)
RETURN a.code AS code, a.name AS name, a.kind AS kind, households, count(DISTINCT ch) AS coached_households
ORDER BY a.kind DESC, a.code
