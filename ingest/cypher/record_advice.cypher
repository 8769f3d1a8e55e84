// A coach records expert advice under a mandate they hold (ingest/record.py); its outcome may follow later.
// Parameters: $household_id, $professional_id, $mandate_id, $id, $props {date, decision_asked, outcome,
// decided_at}, $source, $now
MATCH (h:Household {id: $household_id})
MATCH (pr:Professional {id: $professional_id})
MATCH (m:Mandate {id: $mandate_id})
CREATE (a:Advice {id: $id})
SET a += $props, a.version = 1, a.source = $source, a.recorded_at = $now
CREATE (pr)-[:GAVE {source: $source}]->(a)
CREATE (a)-[:UNDER {source: $source}]->(m)
CREATE (a)-[:ABOUT {source: $source}]->(h)
RETURN a.version AS version
