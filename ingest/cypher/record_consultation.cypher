// A coach records a consultation with a partner professional about the household (ingest/record.py).
// Parameters: $household_id, $professional_ids (the coach and the partner), $id, $props {date, kind}, $source, $now
MATCH (h:Household {id: $household_id})
CREATE (c:Consultation {id: $id})
SET c += $props, c.version = 1, c.source = $source, c.recorded_at = $now
CREATE (c)-[:ABOUT {source: $source}]->(h)
WITH c
UNWIND $professional_ids AS pid
MATCH (p:Professional {id: pid})
CREATE (p)-[:ATTENDED {source: $source}]->(c)
WITH DISTINCT c
RETURN c.version AS version
