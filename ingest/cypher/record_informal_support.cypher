// A coach records an informal supporter (a neighbour when $neighbour) of a household member (ingest/record.py).
// Parameters: $household_id, $member_id, $person_id, $name, $neighbour, $id, $props {kind, since, until},
// $source, $now
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (h:Household {id: $household_id})-[:HAS_MEMBER]->(m:Person {id: $member_id})
USING INDEX SEEK h:Household(id)
USING INDEX SEEK m:Person(id)
CREATE (p:Person {id: $person_id, display_name: $name, has_bsn: false, source: $source, recorded_at: $now})
CREATE (p)-[s:INFORMAL_SUPPORT]->(m)
SET s += $props, s.fact_id = $id, s.version = 1, s.source = $source, s.recorded_at = $now
FOREACH (_ IN CASE WHEN $neighbour THEN [1] ELSE [] END |
  CREATE (p)-[:NEIGHBOUR_OF {source: $source, recorded_at: $now}]->(m))
RETURN s.version AS version
