// Which of $ids name an existing household: by its normalised address (its id may be the demo's or an earlier
// load's) or by its id.
MATCH (n:Household)
WHERE n.address_key IN $ids OR n.id IN $ids
UNWIND [n.address_key, n.id] AS id
WITH id WHERE id IN $ids
RETURN id
