// on_missing: end — end the household memberships whose rows vanished. Parameters: $keys [[household id, person id]],
// $as_of, $why. Only what is still open and had started by the as-of date is ended.
UNWIND $keys AS k
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (h:Household {id: k[0]})-[m:HAS_MEMBER]->(p:Person {id: k[1]})
USING INDEX SEEK h:Household(id)
USING INDEX SEEK p:Person(id)
WHERE m.until IS NULL AND (m.since IS NULL OR m.since <= $as_of)
SET m.until = $as_of, m.until_source = $why
RETURN count(m) AS n
