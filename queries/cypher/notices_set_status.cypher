// title: Mark a signal
// answers: Set one reader's own status (new, read, done) of one signal that reaches them (queries.notices checks that it does, in what they may see); how many were changed?
// params: key (the signal's key); recipient; date (the signal's date); occurrence (the occurrence the status belongs to: the day a threshold's crossing began, a match's date; docs/signals.md); status; now (ISO timestamp); source (who marks it)
// The status is a small `:NoticeState` node per (signal, recipient), made when a reader first marks the signal.
MERGE (s:NoticeState {key: $key + '|' + $recipient})
  ON CREATE SET s.notice = $key, s.recipient = $recipient, s.source = $source
SET s.status = $status, s.date = $date, s.occurrence = $occurrence,
    s.read_at = CASE WHEN $status = 'new' THEN null ELSE coalesce(s.read_at, $now) END,
    s.done_at = CASE WHEN $status = 'done' THEN $now ELSE null END
RETURN count(s) AS changed
