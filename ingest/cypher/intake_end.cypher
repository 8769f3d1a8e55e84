// End a household's caseload assignment on $until (its last day; kept as history, never deleted): the assignment of
// $coach_id, or with $coach_id null whichever coach holds the household on $until. The household is locked first
// and the assignment matched after the lock, so a concurrent move or end is seen.
// Parameters: $household_id, $coach_id (or null), $until, $source, $at
MATCH (h:Household {id: $household_id})
SET h._lock = true
REMOVE h._lock
WITH h
MATCH (c:Professional)-[a:COACHES]->(h)
WHERE ($coach_id IS NULL OR c.id = $coach_id) AND a.since <= $until AND (a.until IS NULL OR a.until >= $until)
SET a.until = $until, a.ended_by = $source, a.ended_at = $at
RETURN c.id AS coach_id
