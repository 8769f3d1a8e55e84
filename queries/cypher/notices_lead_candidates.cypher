// title: Signals: households that may be over a threshold
// answers: Which households have, on the day, at least $casemanagers distinct active professionals (on the household or a member then) or two active professionals of one function, or at least two handovers from $from to the day (a possible ping-pong)? The project lead's threshold signals are derived from these households' facts (queries.notices); a superset, never shown as such.
// params: day (date); casemanagers (int); from (date: the first day of the retention seen from the day)
CALL () {
  MATCH (p:Professional)-[:PERFORMS]->(i:Involvement)-[:ON_BEHALF_OF]->(:Organisation)
  WHERE i.since <= $day AND (i.until IS NULL OR i.until >= $day)
  MATCH (i)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
  WITH p, i, CASE WHEN s:Household THEN s ELSE hm END AS h, m
  WHERE h IS NOT NULL AND (m IS NULL OR ((m.since IS NULL OR m.since <= $day) AND (m.until IS NULL OR m.until >= $day)))
  WITH DISTINCT h, p, i.function AS f
  WITH h, f, count(DISTINCT p) AS same, collect(p) AS ps
  WITH h, max(CASE WHEN f IS NULL THEN 0 ELSE same END) AS most, collect(ps) AS nested
  WITH h, most, size(reduce(d = [], x IN reduce(a = [], l IN nested | a + l) | CASE WHEN x IN d THEN d ELSE d + x END)) AS n
  WHERE n >= $casemanagers OR most >= 2
  RETURN h.id AS household
  UNION
  MATCH (ho:Handover)-[:TO]->(b:Involvement)
  WHERE ho.date >= $from AND ho.date <= $day
  MATCH (b)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
  WITH ho, CASE WHEN s:Household THEN s ELSE hm END AS h
  WHERE h IS NOT NULL
  WITH h, count(DISTINCT ho) AS n
  WHERE n >= 2
  RETURN h.id AS household
}
RETURN household ORDER BY household
