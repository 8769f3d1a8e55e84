// title: Overlap counts at a date (the policymaker's overlap tables, counted in the database)
// answers: Per area, how many households have 1, 2, 3–4, 5–9 or 10+ professionals active at $as_of, how many of them have 2+ organisations on one member and life domain or a "dubbele casemanager", and on how many households is each pair of organisations active together? Aggregates only (no household leaves the database).
// params: as_of (date); area (area code or null = all); life_domain (code or null = all)
// Rows of two kinds: org_a IS NULL -> (area, area_kind, bin, same, double, households) for the distribution;
// org_a IS NOT NULL -> (org_a, org_b, households): each unordered pair once per household, in either order
// (the caller adds both orders up); org_a = org_b is the diagonal (households served).
MATCH (i:Involvement)
WHERE i.since <= $as_of AND (i.until IS NULL OR i.until >= $as_of)
  AND ($life_domain IS NULL OR i.life_domain = $life_domain)
MATCH (i)-[:CONCERNS]->(s)
// Work on a member counts for the household only while the person is a member.
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WHERE (m.since IS NULL OR m.since <= $as_of) AND (m.until IS NULL OR m.until >= $as_of)
WITH i, s, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL
MATCH (p:Professional)-[:PERFORMS]->(i)-[:ON_BEHALF_OF]->(o:Organisation)
WITH h, count(DISTINCT p) AS n, collect(DISTINCT o.id) AS orgs,
     collect([s, i.life_domain, o]) AS sdo,
     // "dubbele casemanager": two professionals in the casemanager role of one function (graph/model.py)
     collect(CASE WHEN i.role = 'casemanager' AND i.function IS NOT NULL THEN [i.function, p] END) AS fp
MATCH (h)-[:IN_AREA]->(a:Area)
WHERE $area IS NULL OR a.code = $area
WITH a, orgs, CASE WHEN n <= 2 THEN toString(n) WHEN n <= 4 THEN '3–4' WHEN n <= 9 THEN '5–9' ELSE '10+' END AS bin,
     any(x IN sdo WHERE any(y IN sdo WHERE y[0] = x[0] AND y[1] = x[1] AND y[2] <> x[2])) AS same,
     any(x IN fp WHERE any(y IN fp WHERE y[0] = x[0] AND y[1] <> x[1])) AS double
// One row for the household itself (x = -1), one per unordered pair of its organisations.
UNWIND range(-1, size(orgs) - 1) AS x
UNWIND CASE WHEN x < 0 THEN [null] ELSE orgs[x..] END AS other
WITH CASE WHEN x < 0 THEN a.code END AS area, CASE WHEN x < 0 THEN a.kind END AS area_kind,
     CASE WHEN x < 0 THEN bin END AS bin, CASE WHEN x < 0 THEN same END AS same,
     CASE WHEN x < 0 THEN double END AS double, CASE WHEN x >= 0 THEN orgs[x] END AS org_a, other AS org_b
RETURN area, area_kind, bin, same, double, org_a, org_b, count(*) AS households
