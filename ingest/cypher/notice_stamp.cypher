// Signals (ingest.matching): mark the involvements $ids as matched — `seen`, the day a signal's rules are read on
// (docs/signals.md) — when they started from $from to $to and are active on that day: $day, or with $day null
// each on its own start (the demo's replay). An involvement matched before keeps its day, so loading the same
// export again or re-running changes nothing; one that has ended by the day is not matched (a later load that
// reopens it matches it then). Nothing else is written: who is told is derived when a signal is read.
// Parameters: $ids, $day, $from, $to
UNWIND $ids AS nid
MATCH (n:Involvement {id: nid})
USING INDEX SEEK n:Involvement(id)  // a seek per id, never a scan of an index per id (tests/integration/test_matching_plans.py)
WITH n, coalesce($day, n.since) AS day
WHERE n.seen IS NULL AND n.since >= $from AND n.since <= $to AND n.since <= day
  AND (n.until IS NULL OR n.until >= day)
SET n.seen = day
RETURN n.id AS id, day
