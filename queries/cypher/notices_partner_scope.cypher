// title: Signals: where a professional's own involvements are
// answers: Which households (and which persons in no household) do this professional's involvements concern — the households whose signals a partner professional's inbox is derived from?
// params: professional (professional id); active_from (date: involvements ended before it are left out)
MATCH (pr:Professional {id: $professional})-[:PERFORMS]->(n:Involvement)
USING INDEX SEEK pr:Professional(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE n.until IS NULL OR n.until >= $active_from
MATCH (n)-[:CONCERNS]->(s)
OPTIONAL MATCH (h:Household)-[:HAS_MEMBER]->(s)
RETURN collect(DISTINCT CASE WHEN s:Household THEN s.id ELSE h.id END) AS households,
       collect(DISTINCT CASE WHEN s:Person AND h IS NULL THEN s.id END) AS persons
