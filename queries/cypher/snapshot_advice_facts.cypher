// title: Advice facts (input of the collaboration part of the snapshot)
// answers: Every expert advice under a mandate with its date, outcome and the areas of the households it is about: what org_collaboration_mandates counts as adopted, refused or debated, for any period and area. Advice the coaches record in the app is a fact like any other. Read once per change of the graph into the snapshot (queries.snapshot); never shown as rows.
// params: (none)
// One row per mandate with a list per column: date and outcome ('' = none) per advice and UNDER relationship,
// and the list of its households' area codes (empty: none).
MATCH (adv:Advice)-[u:UNDER]->(m:Mandate)
WHERE adv.date IS NOT NULL
OPTIONAL MATCH (adv)-[:ABOUT]->(:Household)-[:IN_AREA]->(ar:Area)
WITH m, adv, u, collect(DISTINCT ar.code) AS areas
RETURN m.id AS mandate, collect(coalesce(toString(adv.date), '')) AS date, collect(coalesce(adv.outcome, '')) AS outcome,
       collect(areas) AS areas
