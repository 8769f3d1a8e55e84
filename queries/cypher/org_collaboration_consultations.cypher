// title: Joint consultations in a period
// answers: Which organisations sat together in consultations (overleg) about a household? The row-level reference for org_collaboration_consultation_pairs (tests only).
// params: from, to (dates, inclusive); area (area code or null)
MATCH (c:Consultation)-[:ABOUT]->(h:Household)-[:IN_AREA]->(ar:Area)
WHERE c.date >= $from AND c.date <= $to AND ($area IS NULL OR ar.code = $area)
MATCH (p:Professional)-[:ATTENDED]->(c)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(o:Organisation)
WITH c, collect(DISTINCT o.id) AS organisations
RETURN c.id AS consultation, c.date AS date, organisations
