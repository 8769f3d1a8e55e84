// Signals: write threshold signals $rows [{household_id, kind, detail, text, count}] to the household's active
// coach(es) and to the project lead ($lead), once per (kind, recipient, household, detail). One node per signal,
// no relationships (the reads go by `recipient`). Parameters: $rows, $as_of, $lead, $now, $run, $source
UNWIND $rows AS row
MATCH (h:Household {id: row.household_id})
CALL (h) {
  OPTIONAL MATCH (c:Professional)-[r:COACHES]->(h)
  WHERE r.since <= $as_of AND coalesce(r.until, $as_of) >= $as_of
  RETURN collect(DISTINCT c.id) AS coaches
}
UNWIND coaches + [$lead] AS rid
MERGE (k:Notice {key: row.kind + '|' + rid + '|' + h.id + '|' + row.detail})
  ON CREATE SET k.kind = row.kind, k.recipient = rid, k.household_id = h.id, k.date = $as_of, k.created_at = $now,
                k.run = $run, k.detail = row.text, k.count = row.count, k.source = $source
WITH k WHERE k.run = $run
RETURN count(DISTINCT k) AS created
