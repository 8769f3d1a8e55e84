// title: Explicit handovers in a period (input of the handover and collaboration aggregates)
// answers: Which organisation handed which case to which organisation, when, in which area and life domain? Used only inside queries.aggregates; never shown as rows.
// params: from, to (dates, inclusive); area (area code or null); life_domain (code or null)
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
RETURN hv.date AS date, pa.id AS from_professional, oa.id AS from_organisation, pb.id AS to_professional,
       ob.id AS to_organisation, b.life_domain AS life_domain, h.id AS household_id, ar.code AS area,
       'explicit' AS kind
