// Signals: write threshold signals $rows [{household_id, kind, detail, text, count}] to the household's active
// coach(es) and to the project lead ($lead), once per (kind, recipient, household, detail).
// Parameters: $rows, $as_of, $lead, $now, $run
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
CALL (h) {
  OPTIONAL MATCH (c:Professional)-[r:COACHES]->(h)
  WHERE r.since <= $as_of AND coalesce(r.until, $as_of) >= $as_of
  RETURN collect(c.id) AS coaches
}
UNWIND coaches + [$lead] AS rid
MERGE (k:Notice {key: row.kind + '|' + rid + '|' + h.id + '|' + row.detail})
  ON CREATE SET k.kind = row.kind, k.recipient = rid, k.household_id = h.id, k.date = $as_of, k.created_at = $now,
                k.run = $run, k.status = 'new', k.detail = row.text, k.count = row.count
WITH k, h, rid
WHERE k.run = $run
MERGE (k)-[:ABOUT]->(h)
WITH k, rid
OPTIONAL MATCH (c:Professional {id: rid})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (k)-[:NOTIFIES]->(c))
RETURN count(DISTINCT k) AS created
