// Which of $ids exist as Area nodes (a reference a row makes, checked before anything is written).
MATCH (n:Area)
WHERE n.code IN $ids
RETURN n.code AS id
