// Open an intake for a signal. The signal is locked first (SET/REMOVE of a marker), so of two leads acting on it at
// once the second sees the first one's version and gets 'changed' (optimistic concurrency, nothing written).
// Parameters: $signal_id, $expected_version (or null: no check), $on, $source, $at
MATCH (s:Signal {id: $signal_id})
SET s._lock = true
REMOVE s._lock
WITH s, CASE WHEN $expected_version IS NOT NULL AND coalesce(s.version, 0) <> $expected_version THEN 'changed'
             WHEN s.intake_status = 'gesloten' THEN 'closed'
             WHEN s.intake_status IS NOT NULL THEN 'already_open'
             ELSE 'ok' END AS verdict
FOREACH (_ IN CASE WHEN verdict = 'ok' THEN [1] ELSE [] END |
  SET s.intake_status = 'open', s.intake_opened_at = $on, s.intake_opened_by = $source, s.changed_at = $at,
      s.version = coalesce(s.version, 0) + 1)
RETURN verdict, coalesce(s.version, 0) AS version
