// title: Referrals between organisations in a period, counted in the database
// answers: How many referrals did each organisation send to each other organisation between $from and $to, after how many days was each accepted and started, and how many never started? Aggregates only (the days come back as lists per pair so that medians per receiving organisation stay exact).
// params: from, to (dates of the referral, inclusive); area (area code or null); life_domain (code or null)
MATCH (p:Professional)-[:REFERRED]->(r:Referral)-[:REFERRED_TO]->(t:Organisation)
WHERE r.date >= $from AND r.date <= $to AND ($life_domain IS NULL OR r.life_domain = $life_domain)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(f:Organisation)
OPTIONAL MATCH (r)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
WITH r, t, collect(DISTINCT f)[0] AS f, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
WITH r, t, f, h, ar
WHERE $area IS NULL OR ar.code = $area
RETURN f.id AS source, t.id AS target, count(*) AS n,
       collect(duration.inDays(r.date, r.accepted_at).days) AS accept_days,
       collect(duration.inDays(r.date, r.started_at).days) AS start_days,
       count(CASE WHEN r.started_at IS NULL THEN 1 END) AS not_started
