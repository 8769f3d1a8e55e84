// Which of $ids exist as Professional nodes (a reference a row makes, checked before anything is written).
MATCH (n:Professional)
WHERE n.id IN $ids
RETURN n.id AS id
