// Correct (or end) a client-system tie (ingest/record.py; see correct_node.cypher for the lock, the version
// check and the kept FactVersion). Parameters: $household_id, $person_id, $version, $order, $props, $reason,
// $source, $now
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (p:Person {id: $person_id})-[c:IN_CLIENT_SYSTEM]->(h:Household {id: $household_id})
USING INDEX SEEK p:Person(id)
USING INDEX SEEK h:Household(id)
SET c._lock = true
REMOVE c._lock
WITH h, p, c, coalesce(c.version, 0) = $version AS fresh
// the end fields ($order: [start, end] pairs) the change would put before their start, with the values it
// leaves stored: then nothing is written (ingest.record.correct says which)
WITH h, p, c, fresh, [o IN $order WHERE
  CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE c[o[0]] END >
  CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE c[o[1]] END |
  // the pair and both dates as they would stand, for the sentence that refuses it
  o + [CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE c[o[0]] END,
       CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE c[o[1]] END]] AS crossed,
  // a change to what is stored already (a decision form sent empty) writes no version of its own
  all(k IN keys($props) WHERE coalesce(c[k] = $props[k], c[k] IS NULL AND $props[k] IS NULL)) AS same
CALL (h, p, c, fresh, crossed, same) {
  WITH h, p, c WHERE fresh AND crossed = [] AND NOT same
  CREATE (v:FactVersion)
  SET v = properties(c)
  SET v.id = p.id + '~v' + toString(coalesce(c.version, 0)), v.fact = 'client_system', v.version_of = p.id,
      v.household_id = h.id, v.version = coalesce(c.version, 0), v.superseded_at = $now, v.superseded_by = $source
  SET c += $props, c.version = coalesce(c.version, 0) + 1, c.source = $source, c.recorded_at = $now,
      c.correction_reason = $reason
}
RETURN fresh, crossed, same, c.version AS version, c.source AS source
