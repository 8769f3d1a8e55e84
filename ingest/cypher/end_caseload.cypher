// on_missing: end — end the caseload assignments whose rows vanished. Parameters: $keys [[professional id,
// household id]], $as_of, $why. Only what is still open and had started by the as-of date is ended. The file's own
// statement (file_open / file_until, see caseload.cypher) follows: the row reappearing opens it again.
UNWIND $keys AS k
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (pr:Professional {id: k[0]})-[c:COACHES]->(h:Household {id: k[1]})
USING INDEX SEEK pr:Professional(id)
USING INDEX SEEK h:Household(id)
WHERE c.until IS NULL AND (c.since IS NULL OR c.since <= $as_of)
SET c.until = $as_of, c.until_source = $why, c.file_open = false, c.file_until = $as_of
RETURN count(c) AS n
