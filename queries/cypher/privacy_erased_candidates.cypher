// title: Ids checked against the erasure register
// answers: Every household's id and address key and every person's id, read after a restore to find those the erasure register names (their keyed digests are compared outside the database; nothing of it is shown or logged).
// params: (none)
MATCH (h:Household)
RETURN 'household' AS kind, h.id AS id, h.address_key AS address_key
UNION ALL
MATCH (p:Person)
RETURN 'person' AS kind, p.id AS id, null AS address_key
