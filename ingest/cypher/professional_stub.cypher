// Create professionals first seen in an involvement or referral export (mapping: create_professionals: true).
// Parameters: $rows [{id, organisation_id, function, since, source}]
// An existing professional is left as the registry loaded it; a new one gets its code as its name.
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MERGE (p:Professional {id: row.id})
ON CREATE SET p.name = row.id, p.function = row.function, p.is_coach = false, p.source = row.source,
    p.created_from_export = true
MERGE (p)-[w:WORKS_FOR]->(o)
ON CREATE SET w.since = row.since, w.source = row.source
