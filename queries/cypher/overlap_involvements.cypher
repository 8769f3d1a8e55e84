// title: Involvements per household in a period (input of the overlap aggregates)
// answers: Which professionals of which organisations worked on which household, directly or through a member, at some time between $from and $to? The row-level input of the Python reference (queries.analytics.overlap) that the tests hold the database counts (overlap_counts, overlap_trend_counts, overlap_coach_effect_counts, org_collaboration_shared) against; never shown as rows.
// params: from, to (dates, inclusive); area (area code or null = all); life_domain (code or null = all)
MATCH (i:Involvement)
WHERE i.since <= $to AND (i.until IS NULL OR i.until >= $from)
  AND ($life_domain IS NULL OR i.life_domain = $life_domain)
MATCH (p:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
MATCH (i)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WITH i, p, o, s, m, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL
MATCH (h)-[:IN_AREA]->(a:Area)
WHERE $area IS NULL OR a.code = $area
// Work on a member counts for the household only while the person is a member.
WITH h, a, p, o, i, s,
     CASE WHEN m IS NOT NULL AND m.since IS NOT NULL AND m.since > i.since THEN m.since ELSE i.since END AS since,
     CASE WHEN m IS NULL OR m.until IS NULL THEN i.until
          WHEN i.until IS NULL OR m.until < i.until THEN m.until
          ELSE i.until END AS until
WHERE since <= $to AND (until IS NULL OR until >= $from) AND (until IS NULL OR until >= since)
RETURN h.id AS household_id, a.code AS area, a.kind AS area_kind, p.id AS professional_id,
       o.id AS organisation_id, i.function AS function, i.role AS role, i.life_domain AS life_domain, s.id AS subject_id,
       since, until
