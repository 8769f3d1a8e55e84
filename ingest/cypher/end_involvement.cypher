// on_missing: end — end the involvements whose rows vanished from the export. Parameters: $keys [[id]], $as_of, $why
// Only what is still open and had started by the as-of date is ended; an existing end date is never moved.
UNWIND $keys AS k
MATCH (i:Involvement {id: k[0]})
USING INDEX SEEK i:Involvement(id)  // a seek per key whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE i.until IS NULL AND (i.since IS NULL OR i.since <= $as_of)
SET i.until = $as_of, i.until_source = $why
RETURN count(i) AS n
