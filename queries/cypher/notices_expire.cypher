// title: Expire signals
// answers: Remove the signals that report an event before the cut-off (the signal retention), with their readers' statuses; how many signals went?
// params: cutoff (date)
MATCH (s:NoticeState) WHERE s.date < $cutoff
WITH collect(s) AS states
FOREACH (s IN states | DELETE s)
WITH 1 AS one
MATCH (k:Notice) WHERE k.date < $cutoff
WITH collect(k) AS old
FOREACH (k IN old | DELETE k)
RETURN size(old) AS expired
