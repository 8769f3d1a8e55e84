// title: The household at an address (intake)
// answers: Which households live at this postcode and house number ($prefix: 'POSTCODE|NUMBER|', with the suffix when given), in which area, and who is their coach on $today?
// params: $prefix, $today
// For the project lead, who has a signal with an address and needs the household's pseudonym: the address is
// only matched (through the unique address key's index), never returned.
MATCH (h:Household)
WHERE h.address_key STARTS WITH $prefix
OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
WITH h, collect(c {.id, .name}) AS coaches
OPTIONAL MATCH (area:Area {code: h.area_code})
RETURN h.id AS household_id, h.address_key AS address_key, h.area_code AS area_code, area.name AS area_name,
       coaches[0].id AS coach_id, coaches[0].name AS coach
ORDER BY address_key, household_id
LIMIT 20
