// title: Open intake signals
// answers: Which signals up to $today (from $first_day, if given) are not yet anyone's case — their intake is in one of $statuses ('nieuw': none opened yet) and no coach took the household on since the signal — with date, channel, area, household pseudonym and its coach on $today?
// params: $today, $first_day (or null: no bound), $statuses (intake statuses that count as open; 'nieuw' = no intake yet)
// The one read behind the intake page's open signals and the project lead's overview (households without a coach).
MATCH (s:Signal)
WHERE coalesce(s.intake_status, 'nieuw') IN $statuses AND s.date <= $today
  AND ($first_day IS NULL OR s.date >= $first_day)
OPTIONAL MATCH (s)-[:ABOUT]->(h:Household)
WITH s, h
WHERE h IS NULL OR NOT EXISTS {
  MATCH (:Professional)-[a:COACHES]->(h) WHERE a.since >= s.date AND a.since <= $today }
OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
WITH s, h, collect(c {.id, .name}) AS coaches
OPTIONAL MATCH (area:Area {code: coalesce(s.area_code, h.area_code)})
RETURN s.id AS signal_id, s.date AS signal_date, s.channel AS channel, coalesce(s.area_code, h.area_code) AS area_code,
       area.name AS area_name, h.id AS household_id, coaches[0].id AS coach_id, coaches[0].name AS coach,
       coalesce(s.version, 0) AS version
ORDER BY signal_date DESC, signal_id
