// Signals (ingest.matching): remember $day as the last day involvements were matched on, unless a later one is
// remembered (the thresholds are read on it, queries.notices). Parameters: $day
MERGE (d:NoticeDays {id: 'signals'})
  ON CREATE SET d.source = 'wijknet:signals'
SET d.last_matched = CASE WHEN d.last_matched IS NULL OR d.last_matched < $day THEN $day ELSE d.last_matched END
