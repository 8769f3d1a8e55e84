// title: Casemanagers before and after coach intake, counted in the database
// answers: For coached households (the day before intake and $after_days later) and for comparable control-area households (at least $min_before casemanagers the day before the median intake of all coached households, whatever the area, and $after_days later): how many households had how many professionals active? Aggregates only.
// params: area (area code or null: narrows the coached group); life_domain (code or null = all); after_days; min_before; until (date or null: only coached households whose $after_days have passed by then)
MATCH (:Professional)-[r:COACHES]->(h:Household)-[:IN_AREA]->(a:Area)
WITH h, a.code AS area, min(r.since) AS intake
// a household whose time after intake has not fully come by $until is left out (its "after" is not measured yet)
WHERE $until IS NULL OR intake + duration({days: $after_days}) <= $until
ORDER BY intake
WITH collect({h: h, intake: intake, area: area}) AS every
// The control group is measured around the (lower) median intake of every coached household, and its window is
// theirs, whatever $area: one cohort for every area filter (a cohort that moved with the filter published two
// nearby days' control groups, whose difference gave a household away).
WITH [c IN every WHERE $area IS NULL OR c.area = $area] AS coached, every[(size(every) - 1) / 2].intake AS reference,
     every[0].intake - duration({days: 1}) AS start, every[-1].intake + duration({days: $after_days}) AS end
WHERE size(coached) > 0
CALL (coached, reference) {
  UNWIND coached AS c
  RETURN c.h AS h, 'coached' AS grp, c.intake - duration({days: 1}) AS before,
         c.intake + duration({days: $after_days}) AS after
  UNION ALL
  MATCH (h:Household)-[:IN_AREA]->(:Area {kind: 'control'})
  WHERE reference IS NOT NULL
  RETURN h, 'control' AS grp, reference - duration({days: 1}) AS before, reference + duration({days: $after_days}) AS after
}
CALL (h) {
  OPTIONAL MATCH (h)<-[:CONCERNS]-(i:Involvement)<-[:PERFORMS]-(p:Professional)
  WHERE $life_domain IS NULL OR i.life_domain = $life_domain
  RETURN p, i.since AS since, i.until AS until
  UNION ALL
  // Work on a member counts for the household only while the person is a member.
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->()<-[:CONCERNS]-(i:Involvement)<-[:PERFORMS]-(p:Professional)
  WHERE $life_domain IS NULL OR i.life_domain = $life_domain
  RETURN p, CASE WHEN m.since IS NOT NULL AND m.since > i.since THEN m.since ELSE i.since END AS since,
         CASE WHEN m.until IS NULL THEN i.until WHEN i.until IS NULL OR m.until < i.until THEN m.until
              ELSE i.until END AS until
}
WITH grp, h, start, end,
     count(DISTINCT CASE WHEN since <= before AND (until IS NULL OR until >= before) THEN p END) AS n_before,
     count(DISTINCT CASE WHEN since <= after AND (until IS NULL OR until >= after) THEN p END) AS n_after,
     // the control group only holds households with work in the window (as the involvement table would)
     count(CASE WHEN since <= end AND (until IS NULL OR until >= start) AND (until IS NULL OR until >= since)
                THEN p END) > 0 AS seen
WHERE grp = 'coached' OR (seen AND n_before >= $min_before)
RETURN grp AS group, n_before, n_after, count(*) AS households
