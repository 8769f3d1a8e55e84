// Which of $ids exist as Involvement nodes (a reference a row makes, checked before anything is written).
MATCH (n:Involvement)
WHERE n.id IN $ids
RETURN n.id AS id
