// title: Households per area
// answers: How many households does each area hold (the denominator of the overlap distribution)?
// params: area (area code or null = all)
MATCH (h:Household)-[:IN_AREA]->(a:Area)
WHERE $area IS NULL OR a.code = $area
RETURN a.code AS area, a.name AS name, a.kind AS area_kind, count(h) AS households
ORDER BY area
