// Which of $ids exist as Organisation nodes (a reference a row makes, checked before anything is written).
MATCH (n:Organisation)
WHERE n.id IN $ids
RETURN n.id AS id
