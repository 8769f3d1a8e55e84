// Which of $ids exist as Mandate nodes (a reference a row makes, checked before anything is written).
MATCH (n:Mandate)
WHERE n.id IN $ids
RETURN n.id AS id
