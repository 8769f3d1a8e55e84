// title: Household known
// answers: Is there a household with this id (a data subject's request named it: a mistyped id is not "nobody looked")?
// params: $id
OPTIONAL MATCH (h:Household {id: $id})
RETURN h IS NOT NULL AS known
