// title: Consultation facts (input of the collaboration part of the snapshot)
// answers: Every consultation (overleg) about a household in an area with its date, the areas of its households and the organisations that sat at the table: what org_collaboration_consultation_pairs counts, for any period and area. Read once per change of the graph into the snapshot (queries.snapshot); never shown as rows.
// params: (none)
MATCH (c:Consultation)-[:ABOUT]->(:Household)-[:IN_AREA]->(ar:Area)
WHERE c.date IS NOT NULL
WITH c, collect(DISTINCT ar.code) AS areas
MATCH (p:Professional)-[:ATTENDED]->(c)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(o:Organisation)
WITH c, areas, collect(DISTINCT o.id) AS organisations
WHERE size(organisations) >= 2
RETURN toString(c.date) AS date, areas, organisations
