// The references an intake write names, checked before it writes (no household content: existence and area only).
// Parameters: $area_code, $household_id, $household_spellings (the id as typed and in the other cases a pseudonym is
// written in: hh-t2 is HH-T2, h-3FA9… is H-3fa9…; the one as typed first), $coach_ids, $signal_id
OPTIONAL MATCH (ar:Area {code: $area_code})
OPTIONAL MATCH (h:Household) WHERE h.id IN $household_spellings
WITH ar, h ORDER BY CASE WHEN h.id = $household_id THEN 0 ELSE 1 END, h.id LIMIT 1
OPTIONAL MATCH (ha:Area {code: h.area_code})
OPTIONAL MATCH (s:Signal {id: $signal_id})
OPTIONAL MATCH (sa:Area {code: s.area_code})
OPTIONAL MATCH (s)-[:ABOUT]->(sh:Household)
WITH ar, h, ha, s, sa, collect(sh.id)[0] AS signal_household
OPTIONAL MATCH (c:Professional {is_coach: true}) WHERE c.id IN $coach_ids
RETURN ar IS NOT NULL AS area_exists, h IS NOT NULL AS household_exists, h.id AS household_id,
       h.area_code AS household_area,
       coalesce(ha.name, h.area_code) AS household_area_name, coalesce(ar.name, $area_code) AS area_name,
       s IS NOT NULL AS signal_exists, s.date AS signal_date, s.area_code AS signal_area,
       coalesce(sa.name, s.area_code) AS signal_area_name, coalesce(s.version, 0) AS signal_version,
       s.intake_status AS signal_status, signal_household, collect(c.id) AS coaches,
       collect([c.id, coalesce(c.name, c.id)]) AS coach_names
