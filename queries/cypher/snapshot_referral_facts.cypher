// title: Referral facts (input of the collaboration part of the snapshot)
// answers: Every referral with its date, referring and receiving organisation, life domain, the household's area and the days until it was accepted and until help started: the rows org_collaboration_referral_counts counts, for any period, area and life domain. Read once per change of the graph into the snapshot (queries.snapshot); never shown as rows.
// params: (none)
MATCH (p:Professional)-[:REFERRED]->(r:Referral)-[:REFERRED_TO]->(t:Organisation)
WHERE r.date IS NOT NULL
OPTIONAL MATCH (p)-[:WORKS_FOR]->(f:Organisation)
OPTIONAL MATCH (r)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[:HAS_MEMBER]->(s)
WITH r, t, collect(DISTINCT f)[0] AS f, collect(DISTINCT CASE WHEN s:Household THEN s ELSE hm END)[0] AS h
OPTIONAL MATCH (h)-[:IN_AREA]->(ar:Area)
// One row per receiving organisation with a list per column ('' and -2147483648 stand for a missing value,
// because collect() would skip a null and shift the lists).
WITH t, collect(coalesce(toString(r.date), '')) AS date, collect(coalesce(f.id, '')) AS source,
     collect(coalesce(r.life_domain, '')) AS life_domain, collect(coalesce(ar.code, '')) AS area,
     collect(coalesce(duration.inDays(r.date, r.accepted_at).days, -2147483648)) AS accept_days,
     collect(coalesce(duration.inDays(r.date, r.started_at).days, -2147483648)) AS start_days,
     collect(r.started_at IS NULL) AS not_started
RETURN t.id AS target, date, source, life_domain, area, accept_days, start_days, not_started
