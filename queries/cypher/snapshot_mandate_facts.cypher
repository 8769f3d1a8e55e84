// title: Mandate facts (input of the collaboration part of the snapshot)
// answers: Every mandate an organisation granted, with the grant's period and the mandate's life domain: the grants org_collaboration_mandates counts, for any period and life domain. Read once per change of the graph into the snapshot (queries.snapshot); never shown as rows.
// params: (none)
// One row per granting organisation with a list per column ('' stands for a missing value, because collect()
// would skip a null and shift the lists).
MATCH (o:Organisation)-[g:GRANTS]->(m:Mandate)
RETURN o.id AS organisation, collect(coalesce(m.id, '')) AS mandate, collect(coalesce(toString(g.since), '')) AS since,
       collect(coalesce(toString(g.until), '')) AS until, collect(coalesce(m.life_domain, '')) AS life_domain
