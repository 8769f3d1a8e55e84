// A coach records a household member's consent towards an organisation (ingest/record.py). Parameters:
// $household_id, $person_id, $organisation_id, $id, $props {scope, signed_at, until}, $source, $now
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (h:Household {id: $household_id})-[:HAS_MEMBER]->(p:Person {id: $person_id})
USING INDEX SEEK h:Household(id)
USING INDEX SEEK p:Person(id)
MATCH (o:Organisation {id: $organisation_id})
CREATE (c:Consent {id: $id})
SET c += $props, c.version = 1, c.source = $source, c.recorded_at = $now
CREATE (p)-[:GAVE_CONSENT {source: $source}]->(c)
CREATE (c)-[:TO {source: $source}]->(o)
RETURN c.version AS version
