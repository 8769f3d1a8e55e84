// title: Handover facts (input of the handover part of the snapshot)
// answers: Every explicit handover (its date) and every derived handover with a gap of at most 365 days (the start of the new involvement, and the gap in days), with both professionals and organisations, the life domain, the household and its area: the rows of handover_edges and handover_derived for any period, area, life domain and gap the pages offer. Read once per change of the graph into the snapshot that the collaboration and handover pages count from (queries.snapshot); never shown as rows.
// params: (none)
CALL () {
  MATCH (hv:Handover)-[:FROM]->(a:Involvement), (hv)-[:TO]->(b:Involvement)
  WHERE hv.date IS NOT NULL
  MATCH (pa:Professional)-[:PERFORMS]->(a)-[:ON_BEHALF_OF]->(oa:Organisation)
  MATCH (pb:Professional)-[:PERFORMS]->(b)-[:ON_BEHALF_OF]->(ob:Organisation)
  OPTIONAL MATCH (b)-[:CONCERNS]->(s)
  OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
  WITH hv, b, pa, pb, oa, ob, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
  OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
  RETURN hv.date AS date, pa, oa, pb, ob, b.life_domain AS life_domain, h, ar, -1 AS gap
  UNION ALL
  MATCH (b:Involvement)
  WHERE b.since IS NOT NULL
  MATCH (a:Involvement)-[:CONCERNS]->(s)<-[:CONCERNS]-(b)
  WHERE a <> b AND a.life_domain = b.life_domain AND a.until IS NOT NULL
    AND a.until <= b.since AND b.since <= a.until + duration({days: 365})
    AND NOT EXISTS { MATCH (:Handover)-[:FROM]->(a) }
    AND NOT EXISTS { MATCH (:Handover)-[:TO]->(b) }
  WITH DISTINCT a, b, s
  MATCH (pa:Professional)-[:PERFORMS]->(a)-[:ON_BEHALF_OF]->(oa:Organisation)
  MATCH (pb:Professional)-[:PERFORMS]->(b)-[:ON_BEHALF_OF]->(ob:Organisation)
  WHERE pa <> pb
  OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
  WITH a, b, pa, pb, oa, ob, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
  OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
  RETURN b.since AS date, pa, oa, pb, ob, b.life_domain AS life_domain, h, ar,
         duration.inDays(a.until, b.since).days AS gap
}
// One row per receiving organisation with a list per column ('' = missing: collect() would skip a null and
// shift the lists); gap -1 = an explicit handover.
// Every column null-safe: a node another transaction changes while this one reads can lose a value
// (tests/unit/test_snapshot_queries.py); queries.snapshot leaves out an entry without a date or organisation.
WITH ob, collect(coalesce(toString(date), '')) AS date, collect(coalesce(pa.id, '')) AS from_professional,
     collect(coalesce(oa.id, '')) AS from_organisation, collect(coalesce(pb.id, '')) AS to_professional,
     collect(coalesce(life_domain, '')) AS life_domain, collect(coalesce(h.id, '')) AS household,
     collect(coalesce(ar.code, '')) AS area, collect(coalesce(gap, 2147483647)) AS gap
RETURN ob.id AS to_organisation, date, from_professional, from_organisation, to_professional, life_domain,
       household, area, gap
