// Load involvements (betrokkenheid). Parameters: $rows [{id, professional_id, organisation_id, life_domain, role, since, until, function, person_ids, household_id, source}],
// $match_day, $match_from (the load's matching day and the first start within the retention seen from it, or null)
// One row per id (the last, as a later row overwrites an earlier one): two rows of one id in one batch would
// otherwise both keep their subjects, since the old CONCERNS edges of both go before any new one is made.
UNWIND $rows AS r
WITH r.id AS id, collect(r) AS rs
WITH rs[size(rs) - 1] AS row
MATCH (p:Professional {id: row.professional_id})
MATCH (o:Organisation {id: row.organisation_id})
MERGE (i:Involvement {id: row.id})
SET i.life_domain = row.life_domain, i.role = row.role, i.since = row.since, i.until = row.until,
    i.function = coalesce(row.function, p.function), i.source = row.source,
    // matched for signals on the load's day (docs/signals.md): once, if it started within the retention and is
    // active that day ($match_day null: a load that matches nothing, such as the demo's records)
    i.seen = coalesce(i.seen, CASE WHEN row.since >= $match_from AND row.since <= $match_day
                                        AND (row.until IS NULL OR row.until >= $match_day) THEN $match_day END)
// A changed export may hand the involvement to another professional or organisation: it keeps only the new ones
// (tests/integration/test_loader_updates.py).
WITH i, p, o, row
CALL (i, p) {
  MATCH (other:Professional)-[old:PERFORMS]->(i) WHERE other <> p
  DELETE old
}
CALL (i, o) {
  MATCH (i)-[old:ON_BEHALF_OF]->(other:Organisation) WHERE other <> o
  DELETE old
}
MERGE (p)-[r1:PERFORMS]->(i)
SET r1.source = row.source
MERGE (i)-[r2:ON_BEHALF_OF]->(o)
SET r2.source = row.source
WITH i, row
// A changed export may move an involvement to other subjects: drop the old CONCERNS edges first.
OPTIONAL MATCH (i)-[old:CONCERNS]->()
DELETE old
WITH DISTINCT i, row
CALL (i, row) {
  UNWIND coalesce(row.person_ids, []) AS pid
  MATCH (m:Person {id: pid})
  MERGE (i)-[c:CONCERNS]->(m)
  SET c.source = row.source
}
CALL (i, row) {
  WITH i, row WHERE row.household_id IS NOT NULL
  MATCH (h:Household {id: row.household_id})
  MERGE (i)-[c:CONCERNS]->(h)
  SET c.source = row.source
}
