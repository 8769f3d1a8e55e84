// title: Handovers between organisations in a period, counted in the database
// answers: How many cases did each organisation hand to each other organisation between $from and $to: the explicit handovers of handover_edges plus, when $derived, the derived ones of handover_derived (same rules, same rows, only counted)? Aggregates only.
// params: from, to (dates, inclusive); area (area code or null); life_domain (code or null); derived (boolean); gap_days
CALL () {
  MATCH (hv:Handover)-[:FROM]->(a:Involvement), (hv)-[:TO]->(b:Involvement)
  WHERE hv.date >= $from AND hv.date <= $to AND ($life_domain IS NULL OR b.life_domain = $life_domain)
  MATCH (pa:Professional)-[:PERFORMS]->(a)-[:ON_BEHALF_OF]->(oa:Organisation)
  MATCH (pb:Professional)-[:PERFORMS]->(b)-[:ON_BEHALF_OF]->(ob:Organisation)
  OPTIONAL MATCH (b)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
  WITH hv, b, pa, pb, oa, ob, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
  OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
  WITH hv, b, pa, pb, oa, ob, h, ar
  WHERE $area IS NULL OR ar.code = $area
  RETURN oa.id AS source, ob.id AS target
  UNION ALL
  MATCH (b:Involvement)
  WHERE $derived AND b.since >= $from AND b.since <= $to AND ($life_domain IS NULL OR b.life_domain = $life_domain)
  MATCH (a:Involvement)-[:CONCERNS]->(s)<-[:CONCERNS]-(b)
  WHERE a <> b AND a.life_domain = b.life_domain AND a.until IS NOT NULL
    AND a.until <= b.since AND b.since <= a.until + duration({days: $gap_days})
    AND NOT EXISTS { MATCH (:Handover)-[:FROM]->(a) }
    AND NOT EXISTS { MATCH (:Handover)-[:TO]->(b) }
  WITH DISTINCT a, b, s
  MATCH (pa:Professional)-[:PERFORMS]->(a)-[:ON_BEHALF_OF]->(oa:Organisation)
  MATCH (pb:Professional)-[:PERFORMS]->(b)-[:ON_BEHALF_OF]->(ob:Organisation)
  WHERE pa <> pb
  OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
  WITH a, b, pa, pb, oa, ob, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
  OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
  WITH a, b, pa, pb, oa, ob, h, ar
  WHERE $area IS NULL OR ar.code = $area
  RETURN oa.id AS source, ob.id AS target
}
RETURN source, target, count(*) AS n
