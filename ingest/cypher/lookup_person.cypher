// Which of $ids exist as Person nodes (a reference a row makes, checked before anything is written).
MATCH (n:Person)
WHERE n.id IN $ids
RETURN n.id AS id
