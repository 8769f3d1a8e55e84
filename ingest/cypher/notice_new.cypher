// Signals: the involvements one matching pass looks at — started on or after $from (older events would be expired
// at once) and on or before $as_of, of the export $source (null: every source); active on $as_of, unless
// $at_start (the demo's replay matches each on the day it started). Parameters: $as_of, $from, $source, $at_start
MATCH (n:Involvement)
WHERE n.since >= $from AND n.since <= $as_of AND ($at_start OR n.until IS NULL OR n.until >= $as_of)
  AND ($source IS NULL OR n.source = $source)
RETURN n.id AS id
