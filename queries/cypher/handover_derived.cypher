// title: Derived handovers in a period
// answers: Where did one professional's involvement end and another's start for the same person or household and life domain within $gap_days days, without a recorded handover? Used only inside queries.aggregates.
// params: from, to (dates: the start of the new involvement); gap_days; area (area code or null); life_domain (code or null)
MATCH (b:Involvement)
WHERE b.since >= $from AND b.since <= $to AND ($life_domain IS NULL OR b.life_domain = $life_domain)
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
RETURN b.since AS date, pa.id AS from_professional, oa.id AS from_organisation, pb.id AS to_professional,
       ob.id AS to_organisation, b.life_domain AS life_domain, h.id AS household_id, ar.code AS area,
       'derived' AS kind
