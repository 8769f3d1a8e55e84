// A coach records a person of the client system outside the household (ingest/record.py). Parameters:
// $household_id, $person_id, $name, $id (the fact id), $props {relation, since, until}, $source, $now
MATCH (h:Household {id: $household_id})
CREATE (p:Person {id: $person_id, display_name: $name, has_bsn: false, source: $source, recorded_at: $now})
CREATE (p)-[c:IN_CLIENT_SYSTEM]->(h)
SET c += $props, c.fact_id = $id, c.version = 1, c.source = $source, c.recorded_at = $now
RETURN c.version AS version
