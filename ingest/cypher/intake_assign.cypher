// Assign a household to a wijkcoach from $since (a new COACHES relationship, same shape as caseload.cypher; older
// assignments are kept), optionally as the outcome of an intake (the signal then points at the household and says
// 'toegewezen'). An assignment of another coach that runs on $since ends the day before ($last_day): the household
// moves. The household and the signal are locked first, so two assignments at once are serialised: the second
// sees the first (verdict 'changed' for the intake's version, 'starts_later') and writes nothing.
// With $move false, a household another coach holds on $since is not taken from them (verdict 'held', with who
// holds it): the lead's page says whose it is and asks to tick that it moves; null moves it (the CLI's assign).
// The same coach holding it already is no later assignment to refuse: nothing moves.
// Parameters: $household_id, $coach_id, $since, $last_day, $signal_id (or null), $expected_version (or null),
//             $move (true, false or null), $source, $at
MATCH (h:Household {id: $household_id})
MATCH (c:Professional {id: $coach_id, is_coach: true})
SET h._lock = true
REMOVE h._lock
WITH h, c
OPTIONAL MATCH (s:Signal {id: $signal_id})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | SET s._lock = true REMOVE s._lock)
WITH h, c, s
OPTIONAL MATCH (o:Professional)-[a:COACHES]->(h) WHERE a.until IS NULL OR a.until >= $since
WITH h, c, s, [x IN collect({a: a, coach: o.id, name: coalesce(o.name, o.id)}) WHERE x.a IS NOT NULL] AS current
WITH h, c, s, current, CASE
  WHEN $signal_id IS NOT NULL AND s IS NULL THEN 'no_signal'
  WHEN s IS NOT NULL AND $expected_version IS NOT NULL AND coalesce(s.version, 0) <> $expected_version THEN 'changed'
  WHEN s IS NOT NULL AND s.intake_status = 'gesloten' THEN 'closed'
  WHEN any(x IN current WHERE x.coach <> c.id AND x.a.since >= $since) THEN 'starts_later'
  WHEN $move = false AND any(x IN current WHERE x.coach <> c.id) THEN 'held'
  ELSE 'ok' END AS verdict
WITH h, c, s, verdict, [x IN current WHERE x.coach <> c.id | x.a] AS others,
     [x IN current WHERE x.coach <> c.id | x.coach] AS other_coaches, any(x IN current WHERE x.coach = c.id) AS holds,
     [x IN current WHERE x.coach <> c.id | x.name] AS held_by
FOREACH (a IN CASE WHEN verdict = 'ok' THEN others ELSE [] END |
  SET a.until = $last_day, a.ended_by = $source, a.ended_at = $at)
FOREACH (_ IN CASE WHEN verdict = 'ok' AND NOT holds THEN [1] ELSE [] END |
  CREATE (c)-[:COACHES {since: $since, source: $source, recorded_at: $at}]->(h))
FOREACH (_ IN CASE WHEN verdict = 'ok' AND s IS NOT NULL THEN [1] ELSE [] END |
  SET s.intake_status = 'toegewezen', s.assigned_at = $since, s.changed_at = $at,
      s.intake_opened_at = coalesce(s.intake_opened_at, $since), s.version = coalesce(s.version, 0) + 1
  MERGE (s)-[r:ABOUT]->(h)
  ON CREATE SET r.source = $source)
RETURN verdict, CASE WHEN s IS NULL THEN null ELSE coalesce(s.version, 0) END AS version,
       CASE WHEN verdict = 'ok' THEN other_coaches ELSE [] END AS moved_from, held_by
