// Close the intake of a signal with a reason; with $end_caseload the caseload assignment of its household that runs
// on $on ends that day (kept as history). Locked and version-checked like intake_open.cypher.
// Parameters: $signal_id, $expected_version (or null), $on, $reason, $end_caseload, $source, $at
MATCH (s:Signal {id: $signal_id})
SET s._lock = true
REMOVE s._lock
WITH s, CASE WHEN $expected_version IS NOT NULL AND coalesce(s.version, 0) <> $expected_version THEN 'changed'
             WHEN s.intake_status = 'gesloten' THEN 'closed'
             ELSE 'ok' END AS verdict
FOREACH (_ IN CASE WHEN verdict = 'ok' THEN [1] ELSE [] END |
  SET s.intake_status = 'gesloten', s.closed_at = $on, s.close_reason = $reason, s.closed_by = $source,
      s.changed_at = $at, s.version = coalesce(s.version, 0) + 1)
WITH s, verdict
OPTIONAL MATCH (s)-[:ABOUT]->(h:Household)<-[a:COACHES]-(:Professional)
WHERE verdict = 'ok' AND $end_caseload AND a.since <= $on AND (a.until IS NULL OR a.until >= $on)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END |
  SET a.until = $on, a.ended_by = $source, a.ended_at = $at)
RETURN verdict, coalesce(s.version, 0) AS version, count(a) AS ended
