// title: Overlap facts (input of the overlap snapshot)
// answers: Every period in which a professional of an organisation worked on a household, directly or through a member while a member, with its function (in the casemanager role: what "dubbele casemanager" compares; '' otherwise), life domain and subject. Read once per change of the graph into the snapshot that the policymaker's overlap tables are counted from (queries.snapshot); never shown as rows.
// params: (none)
MATCH (p:Professional)-[:PERFORMS]->(i:Involvement)-[:ON_BEHALF_OF]->(o:Organisation)
WHERE i.since IS NOT NULL
MATCH (i)-[:CONCERNS]->(s)
OPTIONAL MATCH (hm:Household)-[m:HAS_MEMBER]->(s)
WITH i, p, o, s, m, CASE WHEN s:Household THEN s ELSE hm END AS h
WHERE h IS NOT NULL
// Work on a member counts for the household only while the person is a member.
WITH h, p, o, i, s,
     CASE WHEN m IS NOT NULL AND m.since IS NOT NULL AND m.since > i.since THEN m.since ELSE i.since END AS since,
     CASE WHEN m IS NULL OR m.until IS NULL THEN i.until
          WHEN i.until IS NULL OR m.until < i.until THEN m.until
          ELSE i.until END AS until
WHERE until IS NULL OR until >= since
// One row per organisation with a list per column (far cheaper for the driver than one row per period);
// '' stands for a missing value, because collect() would skip a null and shift the lists.
// Every column null-safe: a node another transaction changes while this one reads can lose a value
// (tests/unit/test_snapshot_queries.py); queries.snapshot leaves out an entry without a key or start.
WITH o, collect(coalesce(h.id, '')) AS household, collect(coalesce(p.id, '')) AS professional,
     collect(coalesce(CASE WHEN i.role = 'casemanager' THEN i.function END, '')) AS function, collect(coalesce(i.life_domain, '')) AS life_domain,
     collect(coalesce(s.id, '')) AS subject, collect(coalesce(toString(since), '')) AS since,
     collect(coalesce(toString(until), '')) AS until
RETURN o.id AS organisation, household, professional, function, life_domain, subject, since, until
