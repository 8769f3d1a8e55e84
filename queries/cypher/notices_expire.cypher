// title: Expire signals
// answers: From now on leave out every signal that reports an event before the cut-off (the signal retention), and remove its readers' statuses; how many statuses went?
// params: cutoff (date)
MERGE (w:NoticeExpiry {id: 'signals'})
SET w.cutoff = CASE WHEN w.cutoff IS NULL OR w.cutoff < $cutoff THEN $cutoff ELSE w.cutoff END
WITH 1 AS one
OPTIONAL MATCH (s:NoticeState) WHERE s.date < $cutoff
WITH collect(s) AS states
FOREACH (s IN states | DELETE s)
RETURN size(states) AS removed
