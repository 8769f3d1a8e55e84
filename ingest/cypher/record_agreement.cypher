// A coach records an agreement ("voor wat hoort wat") or an announced sanction of the household's plan (the plan
// is made when there is none yet; ingest/record.py). Parameters: $household_id, $plan_id, $today, $id,
// $props {kind, text, in_return, date, due, status, outcome}, $source, $now
MATCH (h:Household {id: $household_id})
MERGE (p:Plan {id: $plan_id})
ON CREATE SET p.created_at = $today, p.source = $source
MERGE (h)-[r:HAS_PLAN]->(p)
ON CREATE SET r.source = $source
CREATE (a:Agreement {id: $id})
SET a += $props, a.version = 1, a.source = $source, a.recorded_at = $now
CREATE (p)-[:HAS_AGREEMENT {source: $source}]->(a)
RETURN a.version AS version
