// title: A household and its people
// answers: Where is the household, who lives there (roles, periods), who else belongs to its client system, who supports them informally, and which coach took it on since when?
// params: $household_id
MATCH (h:Household {id: $household_id})
OPTIONAL MATCH (h)-[:IN_AREA]->(a:Area)
CALL (h) {
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'member', role: m.role, since: m.since, until: m.until} END) AS members
}
CALL (h) {
  OPTIONAL MATCH (p:Person)-[c:IN_CLIENT_SYSTEM]->(h)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'client_system', role: c.relation, since: c.since, until: c.until} END) AS client_system
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_MEMBER]->(m:Person)<-[s:INFORMAL_SUPPORT]-(p:Person)
  RETURN collect(CASE WHEN p IS NOT NULL THEN {id: p.id, name: p.display_name, birth_year: p.birth_year,
    kind: 'informal', role: s.kind, since: s.since, until: s.until, supports: m.id} END) AS informal
}
CALL (h) {
  OPTIONAL MATCH (c:Professional)-[a:COACHES]->(h)
  RETURN collect(CASE WHEN c IS NOT NULL THEN {professional_id: c.id, name: c.name, phone: c.phone,
    since: a.since, until: a.until} END) AS coaches
}
RETURN h.id AS id, h.street AS street, h.house_number AS house_number, h.suffix AS suffix,
       h.postcode AS postcode, h.area_code AS area_code, a.name AS area_name, a.kind AS area_kind,
       h.housing_corporation AS housing_corporation, members, client_system, informal, coaches
