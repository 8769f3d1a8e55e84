// title: Expire signals
// answers: From now on leave out every signal that reports an event before the cut-off (the signal retention), and remove its readers' statuses; how many statuses went?
// params: cutoff (date)
MERGE (d:NoticeDays {id: 'signals'})
  ON CREATE SET d.source = 'wijknet:signals'
SET d.expired_before = CASE WHEN d.expired_before IS NULL OR d.expired_before < $cutoff THEN $cutoff
                            ELSE d.expired_before END
WITH 1 AS one
OPTIONAL MATCH (s:NoticeState) WHERE s.date < $cutoff
WITH collect(s) AS states
FOREACH (s IN states | DELETE s)
RETURN size(states) AS removed
