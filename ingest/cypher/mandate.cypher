// Load mandates granted by organisations. Parameters: $rows [{id, organisation_id, life_domain, decision_type, since, until, buddy_professional_id, source}]
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MERGE (m:Mandate {id: row.id})
SET m.life_domain = row.life_domain, m.decision_type = row.decision_type, m.source = row.source
MERGE (o)-[g:GRANTS]->(m)
SET g.since = row.since, g.until = row.until, g.source = row.source
WITH m, row
CALL (m, row) {
  WITH m, row WHERE row.buddy_professional_id IS NOT NULL
  MATCH (b:Professional {id: row.buddy_professional_id})
  MERGE (m)-[r:BUDDY]->(b)
  SET r.source = row.source
}
