// Close the intake of a signal with a reason; with $end_caseload the caseload assignment of its household that runs
// on $on ends that day (kept as history). Locked and version-checked like intake_open.cypher.
// Parameters: $signal_id, $expected_version (or null), $on, $reason, $end_caseload, $source, $at
// An assignment of the household that starts after $on (a move planned for later) would outlive the closing:
// then nothing is written and the verdict is 'later_assignment', returned with that first day (later_since).
// A day before the signal's (or the intake's) is refused as 'before_signal', with the first day it may close on.
MATCH (s:Signal {id: $signal_id})
SET s._lock = true
REMOVE s._lock
WITH s
OPTIONAL MATCH (s)-[:ABOUT]->(:Household)<-[later:COACHES]-(:Professional)
WHERE $end_caseload AND later.since > $on AND (later.until IS NULL OR later.until >= later.since)
WITH s, min(later.since) AS later_since
WITH s, later_since,
     CASE WHEN $expected_version IS NOT NULL AND coalesce(s.version, 0) <> $expected_version THEN 'changed'
          WHEN s.intake_status = 'gesloten' THEN 'closed'
          WHEN $on < s.date OR $on < s.intake_opened_at THEN 'before_signal'
          WHEN later_since IS NOT NULL THEN 'later_assignment'
          ELSE 'ok' END AS verdict
FOREACH (_ IN CASE WHEN verdict = 'ok' THEN [1] ELSE [] END |
  SET s.intake_status = 'gesloten', s.closed_at = $on, s.close_reason = $reason, s.closed_by = $source,
      s.changed_at = $at, s.version = coalesce(s.version, 0) + 1)
WITH s, verdict, later_since
OPTIONAL MATCH (s)-[:ABOUT]->(h:Household)<-[a:COACHES]-(:Professional)
WHERE verdict = 'ok' AND $end_caseload AND a.since <= $on AND (a.until IS NULL OR a.until >= $on)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END |
  SET a.until = $on, a.ended_by = $source, a.ended_at = $at)
RETURN verdict, coalesce(s.version, 0) AS version, count(a) AS ended, later_since,
       CASE WHEN s.intake_opened_at > s.date THEN s.intake_opened_at ELSE s.date END AS first_day
