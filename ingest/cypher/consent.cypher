// Load consents of a person towards an organisation. Parameters: $rows [{id, person_id, organisation_id, scope, signed_at, until, source}]
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (o:Organisation {id: row.organisation_id})
MERGE (c:Consent {id: row.id})
SET c.scope = row.scope, c.signed_at = row.signed_at, c.until = row.until, c.source = row.source
MERGE (p)-[r1:GAVE_CONSENT]->(c)
SET r1.source = row.source
MERGE (c)-[r2:TO]->(o)
SET r2.source = row.source
