// Correct (or end) a fact node of a household (ingest/record.py): optimistic concurrency and history. The node is
// locked first (a write takes its lock, so a concurrent correction waits here and then reads the committed
// version); when its version is still the one the form was read with ($version), its old state is kept as a
// FactVersion and the new values are set; otherwise nothing changes and `fresh` is false. No row: the fact is
// not one of this household. Parameters: $household_id, $label (the fact's label, compared as a value), $id,
// $kind, $version, $order, $props, $reason, $source, $now
MATCH (h:Household {id: $household_id})
CALL () {
  MATCH (a:Advice {id: $id}) RETURN a
  UNION MATCH (a:Goal {id: $id}) RETURN a
  UNION MATCH (a:Agreement {id: $id}) RETURN a
  UNION MATCH (a:LadderScore {id: $id}) RETURN a
  UNION MATCH (a:Involvement {id: $id}) RETURN a
  UNION MATCH (a:Consultation {id: $id}) RETURN a
  UNION MATCH (a:Referral {id: $id}) RETURN a
  UNION MATCH (a:Consent {id: $id}) RETURN a
}
WITH h, a
WHERE $label IN labels(a)
  AND (EXISTS { (a)-[:ABOUT|CONCERNS]->(h) }
       OR EXISTS { (h)-[:HAS_PLAN|HAS_MEMBER]->()-[:HAS_GOAL|HAS_AGREEMENT|HAS_SCORE|GAVE_CONSENT|CONCERNS]-(a) })
SET a._lock = true
REMOVE a._lock
WITH h, a, coalesce(a.version, 0) = $version AS fresh
// the end fields ($order: [start, end] pairs) the change would put before their start, with the values it
// leaves stored: then nothing is written (ingest.record.correct says which)
WITH h, a, fresh, [o IN $order WHERE
  CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE a[o[0]] END >
  CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE a[o[1]] END |
  // the pair and both dates as they would stand, for the sentence that refuses it
  o + [CASE WHEN o[0] IN keys($props) THEN $props[o[0]] ELSE a[o[0]] END,
       CASE WHEN o[1] IN keys($props) THEN $props[o[1]] ELSE a[o[1]] END]] AS crossed,
  // a change to what is stored already (a decision form sent empty) writes no version of its own
  all(k IN keys($props) WHERE coalesce(a[k] = $props[k], a[k] IS NULL AND $props[k] IS NULL)) AS same
CALL (h, a, fresh, crossed, same) {
  WITH h, a WHERE fresh AND crossed = [] AND NOT same
  CREATE (v:FactVersion)
  SET v = properties(a)
  SET v.id = a.id + '~v' + toString(coalesce(a.version, 0)), v.fact = $kind, v.version_of = a.id,
      v.household_id = h.id, v.version = coalesce(a.version, 0), v.superseded_at = $now, v.superseded_by = $source
  SET a += $props, a.version = coalesce(a.version, 0) + 1, a.source = $source, a.recorded_at = $now,
      a.correction_reason = $reason
}
RETURN fresh, crossed, same, a.version AS version, a.source AS source
