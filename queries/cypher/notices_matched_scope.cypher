// title: Signals: where matched involvements are
// answers: Which households (and persons in no household) do the involvements matched on or after a day concern — every household a signal can be about, for the outbox, expiry and `wijknet signals run` (read in batches by queries.notices)?
// params: since (date: the first matching day wanted); ids (involvement ids, or null = every matched one)
MATCH (n:Involvement)
WHERE n.seen IS NOT NULL AND n.seen >= $since AND ($ids IS NULL OR n.id IN $ids)
MATCH (n)-[:CONCERNS]->(s)
OPTIONAL MATCH (h:Household)-[:HAS_MEMBER]->(s)
WITH collect(DISTINCT CASE WHEN s:Household THEN s.id ELSE h.id END) AS households,
     collect(DISTINCT CASE WHEN s:Person AND h IS NULL THEN s.id END) AS persons
RETURN households, persons
