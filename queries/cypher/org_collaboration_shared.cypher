// title: Households shared by organisations in a period, counted in the database
// answers: On how many households did each organisation work between $from and $to, and on how many households were two organisations active at the same time? Aggregates only (no household leaves the database).
// params: from, to (dates, inclusive); area (area code or null = all); life_domain (code or null = all)
// Rows: org_a = org_b -> households served; otherwise households shared by the unordered pair (in either order).
MATCH (i:Involvement)
WHERE i.since <= $to AND (i.until IS NULL OR i.until >= $from)
  AND ($life_domain IS NULL OR i.life_domain = $life_domain)
MATCH (i)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WITH i, m, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL AND EXISTS { (h)-[:IN_AREA]->(a:Area) WHERE $area IS NULL OR a.code = $area }
// Work on a member counts for the household only while the person is a member.
WITH h, i,
     CASE WHEN m IS NOT NULL AND m.since IS NOT NULL AND m.since > i.since THEN m.since ELSE i.since END AS since,
     CASE WHEN m IS NULL OR m.until IS NULL THEN i.until
          WHEN i.until IS NULL OR m.until < i.until THEN m.until
          ELSE i.until END AS until
WHERE since <= $to AND (until IS NULL OR until >= $from) AND (until IS NULL OR until >= since)
MATCH (i)-[:ON_BEHALF_OF]->(o:Organisation)
WITH h, o.id AS org, collect([since, until]) AS periods
WITH h, collect({org: org, periods: periods}) AS work
// Every organisation with itself (served) and every pair whose periods on the household overlap (shared).
UNWIND range(0, size(work) - 1) AS x
UNWIND range(x, size(work) - 1) AS y
WITH work[x] AS a, work[y] AS b, x = y AS self
WHERE self OR any(pa IN a.periods WHERE any(pb IN b.periods
                  WHERE (pb[1] IS NULL OR pa[0] <= pb[1]) AND (pa[1] IS NULL OR pb[0] <= pa[1])))
RETURN a.org AS org_a, b.org AS org_b, count(*) AS households
