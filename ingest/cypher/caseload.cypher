// Load coach caseload assignments. Each row is a fact: (coach, household, since) with its until; the file's own
// statement is kept on the assignment (file_open / file_until), so a later re-import can tell it apart from what
// the app changed since (ingest/intake.py: a move, an assignment, an end). Per row, the household locked first
// (as the app's writes do):
//   already  — the assignment holds what the row says, or the row says what the file said before (the app's
//              later change stands): nothing is written;
//   conflict — the row contradicts what the app changed (an assignment the app ended or made) or lies over an
//              assignment made in the app: nothing is written, the row is returned to be reported;
//   updated  — the file changes its own assignment, untouched in the app (e.g. an until): taken;
//   created  — a new assignment.
// A row of another coach from the same day as an assignment the household has is a conflict too ('same_day'): the
// file names two coaches at once. Then one coach a day: an assignment the file made (untouched in the app) that
// runs on when another coach's later assignment starts ends the day before it, as a move in the app does
// (ingest/intake.py) — whatever on_missing says, and whichever of the two came first.
// Parameters: $rows [{professional_id, household_id, since, until, source}]. Returns the conflicting rows.
UNWIND $rows AS row
MATCH (c:Professional {id: row.professional_id})
MATCH (h:Household {id: row.household_id})
SET h._lock = true
REMOVE h._lock
WITH row, c, h, coalesce(row.until, date('9999-12-31')) AS row_end
OPTIONAL MATCH (c)-[s:COACHES]->(h) WHERE s.since = row.since
WITH row, c, h, row_end, head(collect(s)) AS same
CALL (h, row, row_end, same) {
  OPTIONAL MATCH (:Professional)-[x:COACHES]->(h)
  WHERE x.recorded_at IS NOT NULL AND (same IS NULL OR x <> same)
    AND x.since <= row_end AND coalesce(x.until, date('9999-12-31')) >= row.since
  RETURN count(x) > 0 AS over_app
}
CALL (c, h, row) {
  OPTIONAL MATCH (o:Professional)-[y:COACHES]->(h) WHERE o <> c AND y.since = row.since
  RETURN count(y) > 0 AS other_that_day
}
WITH row, c, h, row_end, same, over_app, same IS NULL AND other_that_day AS same_day
WITH row, c, h, same, over_app, same_day, CASE
  WHEN same IS NOT NULL AND coalesce(same.until, date('9999-12-31')) = row_end THEN 'already'
  WHEN same IS NOT NULL AND ((row.until IS NULL AND same.file_open) OR same.file_until = row.until) THEN 'already'
  WHEN same IS NOT NULL AND (same.ended_by IS NOT NULL OR same.recorded_at IS NOT NULL) THEN 'conflict'
  WHEN over_app THEN 'conflict'
  WHEN same_day THEN 'conflict'
  WHEN same IS NOT NULL THEN 'updated'
  ELSE 'created' END AS verdict
FOREACH (_ IN CASE WHEN verdict = 'updated' THEN [1] ELSE [] END |
  SET same.until = row.until, same.source = row.source, same.file_open = row.until IS NULL,
      same.file_until = row.until)
FOREACH (_ IN CASE WHEN verdict = 'created' THEN [1] ELSE [] END |
  CREATE (c)-[:COACHES {since: row.since, until: row.until, source: row.source, file_open: row.until IS NULL,
                        file_until: row.until}]->(h))
WITH collect(CASE WHEN verdict = 'conflict' THEN row {.*, reason: CASE WHEN same_day AND NOT over_app
       THEN 'same_day' ELSE 'app' END} END) AS refused, collect(DISTINCT h) AS touched
CALL (touched) {
  UNWIND touched AS h
  MATCH (c:Professional)-[a:COACHES]->(h)
  WHERE a.recorded_at IS NULL AND a.ended_by IS NULL
  CALL (h, c, a) {
    OPTIONAL MATCH (o:Professional)-[b:COACHES]->(h) WHERE o <> c AND b.since > a.since
    RETURN min(b.since) AS next
  }
  WITH a, next WHERE next IS NOT NULL AND coalesce(a.until, date('9999-12-31')) >= next
  SET a.until = next - duration({days: 1}), a.until_source = 'next coach from ' + toString(next)
  RETURN count(a) AS cut
}
UNWIND refused AS row
RETURN row.professional_id AS professional_id, row.household_id AS household_id, row.since AS since,
       row.until AS until, row.reason AS reason
