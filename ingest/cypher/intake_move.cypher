// Move households from one wijkcoach to another on $on: the old assignment ends the day before ($last_day; history
// kept, nothing deleted) and a new COACHES relationship starts on $on. $household_ids null: every household the
// coach holds on $on (the bulk move when a coach leaves). Each household is locked first and its assignment matched
// again after the lock, so a concurrent move or end is seen; an assignment that starts on or after $on is not moved.
// Parameters: $from_id, $to_id, $household_ids (or null), $on, $last_day, $source, $at
MATCH (t:Professional {id: $to_id, is_coach: true})
MATCH (f:Professional {id: $from_id})-[held:COACHES]->(h:Household)
WHERE ($household_ids IS NULL OR h.id IN $household_ids)
  AND held.since <= $on AND (held.until IS NULL OR held.until >= $on)
WITH DISTINCT t, f, h
SET h._lock = true
REMOVE h._lock
WITH t, f, h
MATCH (f)-[a:COACHES]->(h)
WHERE a.since <= $on AND (a.until IS NULL OR a.until >= $on)
WITH t, a, h, a.since < $on AND NOT EXISTS {
  MATCH (t)-[b:COACHES]->(h) WHERE b.since <= $on AND (b.until IS NULL OR b.until >= $on) } AS movable
FOREACH (_ IN CASE WHEN movable THEN [1] ELSE [] END |
  SET a.until = $last_day, a.ended_by = $source, a.ended_at = $at
  CREATE (t)-[:COACHES {since: $on, source: $source, recorded_at: $at}]->(h))
RETURN h.id AS household_id, movable AS moved
ORDER BY household_id
