// title: Areas (input of the overlap snapshot)
// answers: Every area with its name and kind (experiment or control).
// params: (none)
MATCH (a:Area)
RETURN a.code AS area, a.name AS name, a.kind AS area_kind
ORDER BY area
