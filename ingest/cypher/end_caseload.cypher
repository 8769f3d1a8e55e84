// on_missing: end — end the caseload assignments whose rows vanished. Parameters: $keys [[professional id,
// household id]], $as_of, $why. Only what is still open and had started by the as-of date is ended. The file's own
// statement (file_open / file_until, see caseload.cypher) follows: the row reappearing opens it again.
UNWIND $keys AS k
MATCH (:Professional {id: k[0]})-[c:COACHES]->(:Household {id: k[1]})
WHERE c.until IS NULL AND (c.since IS NULL OR c.since <= $as_of)
SET c.until = $as_of, c.until_source = $why, c.file_open = false, c.file_until = $as_of
RETURN count(c) AS n
