// title: Overlap counts per quarter (the policymaker's trend, counted in the database)
// answers: At each of the $dates, how many households have 1, 2, 3–4, 5–9 or 10+ professionals active at once? Aggregates only (no household leaves the database); households with nobody are the remainder.
// params: dates (list of dates, ascending); area (area code or null = all); life_domain (code or null = all)
MATCH (i:Involvement)
WHERE i.since <= $dates[-1] AND (i.until IS NULL OR i.until >= $dates[0])
  AND ($life_domain IS NULL OR i.life_domain = $life_domain)
MATCH (i)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WITH i, m, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL AND ($area IS NULL OR EXISTS { (h)-[:IN_AREA]->(:Area {code: $area}) })
// Work on a member counts for the household only while the person is a member.
WITH h, i,
     CASE WHEN m IS NOT NULL AND m.since IS NOT NULL AND m.since > i.since THEN m.since ELSE i.since END AS since,
     CASE WHEN m IS NULL OR m.until IS NULL THEN i.until
          WHEN i.until IS NULL OR m.until < i.until THEN m.until
          ELSE i.until END AS until
MATCH (p:Professional)-[:PERFORMS]->(i)
// Per household: each professional's periods; per day: how many professionals have a period containing it.
// Counting in lists per household keeps the rows at (household, day) instead of (involvement, day).
WITH h, p, collect([since, until]) AS periods
WITH h, collect(periods) AS work
WITH [d IN $dates | size([periods IN work WHERE any(x IN periods WHERE x[0] <= d AND (x[1] IS NULL OR d <= x[1]))])]
     AS counts
UNWIND [k IN range(0, size(counts) - 1) WHERE counts[k] > 0] AS k
WITH k, counts[k] AS n
WITH k, CASE WHEN n <= 2 THEN toString(n) WHEN n <= 4 THEN '3–4' WHEN n <= 9 THEN '5–9' ELSE '10+' END AS bin
RETURN $dates[k] AS day, bin, count(*) AS households
