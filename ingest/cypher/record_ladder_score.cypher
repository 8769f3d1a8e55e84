// A coach records a participation-ladder score of a household member (ingest/record.py). Parameters:
// $household_id, $person_id, $id, $props {date, rung}, $source, $now
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (h:Household {id: $household_id})-[:HAS_MEMBER]->(p:Person {id: $person_id})
USING INDEX SEEK h:Household(id)
USING INDEX SEEK p:Person(id)
CREATE (s:LadderScore {id: $id})
SET s += $props, s.version = 1, s.source = $source, s.recorded_at = $now
CREATE (p)-[:HAS_SCORE {source: $source}]->(s)
RETURN s.version AS version
