// Which of the two persons of a merge exist. Parameters: $keep, $dup
MATCH (p:Person)
WHERE p.id IN [$keep, $dup]
RETURN p.id AS id
