// title: Joint consultations per pair of organisations, counted in the database
// answers: In how many consultations (overleg) about a household between $from and $to did two organisations sit together (each consultation counted once per pair)? Aggregates only.
// params: from, to (dates, inclusive); area (area code or null)
MATCH (c:Consultation)-[:ABOUT]->(h:Household)-[:IN_AREA]->(ar:Area)
WHERE c.date >= $from AND c.date <= $to AND ($area IS NULL OR ar.code = $area)
MATCH (p:Professional)-[:ATTENDED]->(c)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(o:Organisation)
WITH c, collect(DISTINCT o.id) AS organisations
UNWIND organisations AS a
UNWIND organisations AS b
WITH a, b
WHERE a < b
RETURN a, b, count(*) AS n
ORDER BY a, b
