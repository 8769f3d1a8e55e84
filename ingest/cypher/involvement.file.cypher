// Create involvements that no earlier load wrote, from a file in the server's import directory ($url): one
// line per record, its fields in model order (id, professional_id, organisation_id, life_domain, role, since,
// until, function, person_ids, household_id, source), written by ingest.loader.encode_line. The same nodes and
// relationships as involvement.create.cypher, and like it, it fails on the uniqueness constraint when an id
// exists after all (the loader then writes the batch again with involvement.cypher).
// Without subqueries, as this runs once per line: the household edge by FOREACH (r[9] null matches nothing),
// then one row per person id (encode_line sends no line whose list repeats an id); a line without persons
// ends there, after its involvement was made. It is matched on the load's day like involvement.cypher ($match_day,
// $match_from).
LOAD CSV FROM $url AS r
MATCH (p:Professional {id: r[1]})
MATCH (o:Organisation {id: r[2]})
OPTIONAL MATCH (h:Household {id: r[9]})
CREATE (i:Involvement {id: r[0], life_domain: r[3], role: r[4], since: date(r[5]), until: date(r[6]),
                       function: coalesce(r[7], p.function), source: r[10],
                       seen: CASE WHEN date(r[5]) >= $match_from AND date(r[5]) <= $match_day
                                   AND (r[6] IS NULL OR date(r[6]) >= $match_day) THEN $match_day END})
CREATE (p)-[:PERFORMS {source: r[10]}]->(i)
CREATE (i)-[:ON_BEHALF_OF {source: r[10]}]->(o)
FOREACH (_ IN CASE WHEN h IS NULL THEN [] ELSE [1] END | CREATE (i)-[:CONCERNS {source: r[10]}]->(h))
WITH i, r
UNWIND split(coalesce(r[8], ''), '|') AS pid
MATCH (m:Person {id: pid})
CREATE (i)-[:CONCERNS {source: r[10]}]->(m)
