// A coach records their own involvement with the household, for their organisation (ingest/record.py).
// Parameters: $household_id, $professional_id, $organisation_id, $id, $props {life_domain, role, since, until},
// $source, $now
MATCH (h:Household {id: $household_id})
MATCH (pr:Professional {id: $professional_id})
MATCH (o:Organisation {id: $organisation_id})
CREATE (i:Involvement {id: $id})
SET i += $props, i.function = pr.function, i.version = 1, i.source = $source, i.recorded_at = $now
CREATE (pr)-[:PERFORMS {source: $source}]->(i)
CREATE (i)-[:ON_BEHALF_OF {source: $source}]->(o)
CREATE (i)-[:CONCERNS {source: $source}]->(h)
RETURN i.version AS version
