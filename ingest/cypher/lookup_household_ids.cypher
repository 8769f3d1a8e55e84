// Address key → id of the household already in the graph at that address. Parameters: $keys
MATCH (h:Household)
WHERE h.address_key IN $keys
RETURN h.address_key AS key, h.id AS id
