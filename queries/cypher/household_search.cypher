// title: Find a household in a caseload
// answers: Which of this coach's households match a household id, a postcode (prefix) or a street and house number?
// params: $professional_id, $today, $household_id, $postcode, $address
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household)
USING INDEX SEEK c:Professional(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
  AND (toUpper(h.id) = toUpper($household_id)  // as written: hh-t1 is HH-T1
       OR ($postcode <> '' AND replace(toUpper(h.postcode), ' ', '') STARTS WITH $postcode)
       OR ($address <> '' AND toLower(coalesce(h.street, '') + ' ' + toString(h.house_number)
                                      + coalesce(h.suffix, '')) CONTAINS $address))
RETURN h.id AS id, h.street AS street, h.house_number AS house_number, h.suffix AS suffix,
       h.postcode AS postcode, h.area_code AS area_code, a.since AS since
ORDER BY h.postcode, h.house_number, h.id
LIMIT 50
