// What a coach's entry is checked against (ingest/record.py): the household, when it began (its first
// membership), its members, its plan, the mandates the coach holds, the coach's organisation and which of the
// named organisations and professionals exist. Parameters: $household_id, $professional_id, $organisation_ids,
// $professional_ids
// The household is held until the write's transaction ends (a property set and removed again: Neo4j's exclusive
// lock on the node, no change left), so two entries for one household take turns: the second reads what the first
// wrote. A double click on "Vastleggen" recorded a neighbour twice, each write having checked he was not there.
MATCH (h:Household {id: $household_id})
SET h.entry_turn = true
REMOVE h.entry_turn
WITH h
CALL (h) {
  OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person)
  RETURN collect(p.id) AS members, min(m.since) AS started
}
CALL (h) {
  OPTIONAL MATCH (h)-[:HAS_PLAN]->(pl:Plan)
  WITH pl ORDER BY pl.created_at, pl.id
  RETURN collect(pl.id)[0] AS plan_id
}
CALL () {
  OPTIONAL MATCH (:Professional {id: $professional_id})-[hd:HOLDS]->(m:Mandate)<-[g:GRANTS]-(:Organisation)
  RETURN collect(CASE WHEN m IS NOT NULL THEN {id: m.id, since: hd.since, until: hd.until, granted_since: g.since,
    granted_until: g.until} END) AS mandates
}
CALL () {
  OPTIONAL MATCH (:Professional {id: $professional_id})-[w:WORKS_FOR]->(o:Organisation)
  WITH o, w ORDER BY w.until IS NULL DESC, w.since DESC
  RETURN collect(o.id)[0] AS coach_organisation
}
CALL () {
  OPTIONAL MATCH (o:Organisation) WHERE o.id IN $organisation_ids
  RETURN collect(o.id) AS organisations
}
CALL () {
  OPTIONAL MATCH (p:Professional) WHERE p.id IN $professional_ids
  RETURN collect(p.id) AS professionals
}
RETURN h.id AS id, members, started, plan_id, mandates, coach_organisation, organisations, professionals
