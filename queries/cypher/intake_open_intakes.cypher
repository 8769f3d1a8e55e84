// title: Open intakes
// answers: Which intakes are open or assigned (not closed), with the signal's date, channel, area, the household pseudonym and its coach on $today?
// params: $today
MATCH (s:Signal)
WHERE s.intake_status IN ['open', 'toegewezen']
OPTIONAL MATCH (s)-[:ABOUT]->(h:Household)
OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
WITH s, h, collect(c {.id, .name}) AS coaches
RETURN s.id AS signal_id, s.date AS signal_date, s.channel AS channel, coalesce(s.area_code, h.area_code) AS area_code,
       h.id AS household_id, s.intake_status AS status, s.intake_opened_at AS opened_at,
       coaches[0].id AS coach_id, coaches[0].name AS coach, coalesce(s.version, 0) AS version
ORDER BY opened_at DESC, signal_id
