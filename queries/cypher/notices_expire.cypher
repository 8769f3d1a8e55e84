// title: Expire signals
// answers: From now on leave out every signal that reports an event before the cut-off (the signal retention), and remove its readers' statuses — not those of a threshold signal that still holds ($still_holding); how many statuses went?
// params: cutoff (date); still_holding (the statuses, `<signal key>|<recipient>`, of the threshold signals that still hold)
MERGE (d:NoticeDays {id: 'signals'})
  ON CREATE SET d.source = 'wijknet:signals'
SET d.expired_before = CASE WHEN d.expired_before IS NULL OR d.expired_before < $cutoff THEN $cutoff
                            ELSE d.expired_before END
WITH 1 AS one
OPTIONAL MATCH (s:NoticeState) WHERE s.date < $cutoff AND NOT s.key IN $still_holding
WITH collect(s) AS states
FOREACH (s IN states | DELETE s)
RETURN size(states) AS removed
