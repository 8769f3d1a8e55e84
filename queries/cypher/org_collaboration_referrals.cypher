// title: Referrals between organisations in a period
// answers: Which organisation referred to which, when was the referral accepted and when did help start? Used only inside queries.aggregates.
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
RETURN r.date AS date, r.accepted_at AS accepted_at, r.started_at AS started_at, f.id AS from_organisation,
       t.id AS to_organisation, r.life_domain AS life_domain, ar.code AS area
