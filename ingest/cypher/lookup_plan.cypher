// Which of $ids exist as Plan nodes (a reference a row makes, checked before anything is written).
MATCH (n:Plan)
WHERE n.id IN $ids
RETURN n.id AS id
