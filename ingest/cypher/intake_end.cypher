// End a household's caseload assignment on $until (its last day; kept as history, never deleted): the assignment of
// $coach_id, or with $coach_id null whichever coach holds the household on $until. The household is locked first
// and the assignment matched after the lock, so a concurrent move or end is seen.
// An assignment (of $coach_id, or of anyone) that starts after $until — a move planned for later — would outlive the
// end: then nothing is written and its first day comes back as later_since (as intake_close.cypher does).
// Parameters: $household_id, $coach_id (or null), $until, $source, $at
MATCH (h:Household {id: $household_id})
SET h._lock = true
REMOVE h._lock
WITH h
OPTIONAL MATCH (lc:Professional)-[later:COACHES]->(h)
WHERE ($coach_id IS NULL OR lc.id = $coach_id) AND later.since > $until
  AND (later.until IS NULL OR later.until >= later.since)
WITH h, min(later.since) AS later_since
OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
WHERE later_since IS NULL AND ($coach_id IS NULL OR c.id = $coach_id) AND a.since <= $until
  AND (a.until IS NULL OR a.until >= $until)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END |
  SET a.until = $until, a.ended_by = $source, a.ended_at = $at)
RETURN later_since, [x IN collect(c.id) WHERE x IS NOT NULL] AS coach_ids
