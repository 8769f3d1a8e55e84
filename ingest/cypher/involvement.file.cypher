// Create involvements that no earlier load wrote, from a file in the server's import directory ($url): one
// line per record, its fields in model order (id, professional_id, organisation_id, life_domain, role, since,
// until, function, person_ids, household_id, source), written by ingest.loader.encode_line. The same nodes and
// relationships as involvement.create.cypher, and like it, it fails on the uniqueness constraint when an id
// exists after all (the loader then writes the batch again with involvement.cypher).
LOAD CSV FROM $url AS r
MATCH (p:Professional {id: r[1]})
MATCH (o:Organisation {id: r[2]})
CREATE (i:Involvement {id: r[0], life_domain: r[3], role: r[4], since: date(r[5]), until: date(r[6]),
                       function: coalesce(r[7], p.function), source: r[10]})
CREATE (p)-[:PERFORMS {source: r[10]}]->(i)
CREATE (i)-[:ON_BEHALF_OF {source: r[10]}]->(o)
WITH i, r
CALL (i, r) {
  UNWIND CASE WHEN r[8] IS NULL OR r[8] = '' THEN [] ELSE split(r[8], '|') END AS pid
  MATCH (m:Person {id: pid})
  WITH DISTINCT m
  CREATE (i)-[:CONCERNS {source: r[10]}]->(m)
}
CALL (i, r) {
  WITH i, r WHERE r[9] IS NOT NULL
  MATCH (h:Household {id: r[9]})
  CREATE (i)-[:CONCERNS {source: r[10]}]->(h)
}
