// A coach records a goal of the household's plan (the plan is made when there is none yet; ingest/record.py).
// Parameters: $household_id, $plan_id, $today, $id, $props {life_domain, description, status, since}, $source, $now
MATCH (h:Household {id: $household_id})
MERGE (p:Plan {id: $plan_id})
ON CREATE SET p.created_at = $today, p.source = $source
MERGE (h)-[r:HAS_PLAN]->(p)
ON CREATE SET r.source = $source
CREATE (g:Goal {id: $id})
SET g += $props, g.version = 1, g.source = $source, g.recorded_at = $now
CREATE (p)-[:HAS_GOAL {source: $source}]->(g)
RETURN g.version AS version
