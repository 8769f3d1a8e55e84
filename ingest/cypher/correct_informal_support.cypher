// Correct (or end) an informal supporter's support of a member (ingest/record.py; see correct_node.cypher for
// the lock, the version check and the kept FactVersion). Parameters: $household_id, $member_id, $person_id,
// $version, $order, $props, $reason, $source, $now
// both ends sought by id whatever the index statistics say (tests/integration/test_lookup_plans.py)
MATCH (h:Household {id: $household_id})-[:HAS_MEMBER]->(m:Person {id: $member_id})
USING INDEX SEEK h:Household(id)
USING INDEX SEEK m:Person(id)
MATCH (p:Person {id: $person_id})-[s:INFORMAL_SUPPORT]->(m)
USING INDEX SEEK p:Person(id)
SET s._lock = true
REMOVE s._lock
WITH h, p, m, s, coalesce(s.version, 0) = $version AS fresh
// the end fields ($order: [start, end] pairs) the change would put before their start, with the values it
// leaves stored: then nothing is written (ingest.record.correct says which)
WITH h, p, m, s, fresh, [o IN $order WHERE
  CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE s[o[0]] END >
  CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE s[o[1]] END |
  // the pair and both dates as they would stand, for the sentence that refuses it
  o + [CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE s[o[0]] END,
       CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE s[o[1]] END]] AS crossed,
  // a change to what is stored already (a decision form sent empty) writes no version of its own
  all(k IN keys($props) WHERE coalesce(s[k] = $props[k], s[k] IS NULL AND $props[k] IS NULL)) AS same
CALL (h, p, m, s, fresh, crossed, same) {
  WITH h, p, m, s WHERE fresh AND crossed = [] AND NOT same
  CREATE (v:FactVersion)
  SET v = properties(s)
  SET v.id = p.id + '>' + m.id + '~v' + toString(coalesce(s.version, 0)), v.fact = 'informal_support',
      v.version_of = p.id + '>' + m.id, v.household_id = h.id, v.version = coalesce(s.version, 0),
      v.superseded_at = $now, v.superseded_by = $source
  SET s += $props, s.version = coalesce(s.version, 0) + 1, s.source = $source, s.recorded_at = $now,
      s.correction_reason = $reason
}
RETURN fresh, crossed, same, s.version AS version, s.source AS source
