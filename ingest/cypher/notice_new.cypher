// Signals: the involvements one matching pass looks at — active on $as_of and started on or after $from (older
// events would be expired at once), of the export $source (null: every source). Parameters: $as_of, $from, $source
MATCH (n:Involvement)
WHERE n.since >= $from AND n.since <= $as_of AND (n.until IS NULL OR n.until >= $as_of)
  AND ($source IS NULL OR n.source = $source)
RETURN n.id AS id
