// Signals (ingest.matching): of the new involvements $ids, those a pass matches (started on or after $from and on
// or before $as_of; active on $as_of or, with $at_start, on their own start), each with the households of its
// subjects (a household subject itself; every household a person subject is or was a member of) and its person
// subjects that belong to no household. The next read fetches those households once per batch.
// Parameters: $ids, $from, $as_of, $at_start
UNWIND $ids AS nid
MATCH (n:Involvement {id: nid})
USING INDEX SEEK n:Involvement(id)  // a seek per id, never a scan of an index per id (tests/integration/test_matching_plans.py)
WHERE n.since >= $from AND n.since <= $as_of
  AND (n.until IS NULL OR n.until >= CASE WHEN $at_start THEN n.since ELSE $as_of END)
MATCH (n)-[:CONCERNS]->(s)
OPTIONAL MATCH (h:Household)-[:HAS_MEMBER]->(s)
RETURN n.id AS id, collect(DISTINCT CASE WHEN s:Household THEN s.id ELSE h.id END) AS households,
       collect(DISTINCT CASE WHEN s:Person AND h IS NULL THEN s.id END) AS persons
