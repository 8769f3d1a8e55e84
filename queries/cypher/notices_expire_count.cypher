// title: Signals past their retention
// answers: How many signals report an event before the cut-off (removed by `wijknet signals expire`)?
// params: cutoff (date)
MATCH (k:Notice) WHERE k.date < $cutoff
RETURN count(k) AS expired
