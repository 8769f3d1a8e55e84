// title: Open intake signals
// answers: Which signals from $first_day up to $today are not yet anyone's case (no intake, and no coach took the household on since the signal), with date, channel, area, household pseudonym and its coach on $today?
// params: $today, $first_day
MATCH (s:Signal)
WHERE s.intake_status IS NULL AND s.date <= $today AND s.date >= $first_day
OPTIONAL MATCH (s)-[:ABOUT]->(h:Household)
WITH s, h
WHERE h IS NULL OR NOT EXISTS {
  MATCH (:Professional)-[a:COACHES]->(h) WHERE a.since >= s.date AND a.since <= $today }
OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
WITH s, h, collect(c {.id, .name}) AS coaches
RETURN s.id AS signal_id, s.date AS signal_date, s.channel AS channel, coalesce(s.area_code, h.area_code) AS area_code,
       h.id AS household_id, coaches[0].id AS coach_id, coaches[0].name AS coach, coalesce(s.version, 0) AS version
ORDER BY signal_date DESC, signal_id
