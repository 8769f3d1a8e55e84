// Create involvements that no earlier load wrote (the side store has no digest for their id): the same nodes
// and relationships as involvement.cypher, without looking for existing ones (and matched on the load's day
// like it). Parameters as involvement.cypher.
// Only a hint decides which rows come here: if an id exists after all (a re-run after a crash, the same id
// from another file), the uniqueness constraint on Involvement.id fails the batch, and the loader writes it
// again with involvement.cypher (see ingest.pipeline._load).
UNWIND $rows AS row
MATCH (p:Professional {id: row.professional_id})
MATCH (o:Organisation {id: row.organisation_id})
CREATE (i:Involvement {id: row.id, life_domain: row.life_domain, role: row.role, since: row.since,
                       until: row.until, function: coalesce(row.function, p.function), source: row.source,
                       seen: CASE WHEN row.since >= $match_from AND row.since <= $match_day
                                   AND (row.until IS NULL OR row.until >= $match_day) THEN $match_day END})
CREATE (p)-[:PERFORMS {source: row.source}]->(i)
CREATE (i)-[:ON_BEHALF_OF {source: row.source}]->(o)
WITH i, row
CALL (i, row) {
  UNWIND coalesce(row.person_ids, []) AS pid
  MATCH (m:Person {id: pid})
  WITH DISTINCT m
  CREATE (i)-[:CONCERNS {source: row.source}]->(m)
}
CALL (i, row) {
  WITH i, row WHERE row.household_id IS NOT NULL
  MATCH (h:Household {id: row.household_id})
  CREATE (i)-[:CONCERNS {source: row.source}]->(h)
}
