// title: Expire signals
// answers: Remove the signals that report an event before the cut-off (the signal retention); how many went?
// params: cutoff (date)
MATCH (k:Notice) WHERE k.date < $cutoff
WITH collect(k) AS old
FOREACH (k IN old | DETACH DELETE k)
RETURN size(old) AS expired
