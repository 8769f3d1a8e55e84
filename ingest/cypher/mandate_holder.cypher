// Load which professionals (coaches) hold which mandates. Parameters: $rows [{mandate_id, professional_id, since, until, source}]
UNWIND $rows AS row
MATCH (m:Mandate {id: row.mandate_id})
MATCH (p:Professional {id: row.professional_id})
MERGE (p)-[h:HOLDS]->(m)
SET h.since = row.since, h.until = row.until, h.source = row.source
