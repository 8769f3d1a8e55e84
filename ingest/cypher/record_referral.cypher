// A coach records a referral of the household (or one member: $person_id) to an organisation; its acceptance
// and start follow later (ingest/record.py). Parameters: $household_id, $person_id, $professional_id,
// $organisation_id, $id, $props {date, life_domain, reason, accepted_at, started_at}, $source, $now
MATCH (h:Household {id: $household_id})
MATCH (pr:Professional {id: $professional_id})
MATCH (o:Organisation {id: $organisation_id})
CREATE (r:Referral {id: $id})
SET r += $props, r.version = 1, r.source = $source, r.recorded_at = $now
CREATE (pr)-[:REFERRED {source: $source}]->(r)
CREATE (r)-[:REFERRED_TO {source: $source}]->(o)
WITH h, r
CALL (h, r) {
  WITH h, r WHERE $person_id IS NULL
  CREATE (r)-[:CONCERNS {source: $source}]->(h)
}
CALL (h, r) {
  WITH h, r WHERE $person_id IS NOT NULL
  MATCH (h)-[:HAS_MEMBER]->(p:Person {id: $person_id})
  USING INDEX SEEK p:Person(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
  CREATE (r)-[:CONCERNS {source: $source}]->(p)
}
RETURN r.version AS version
