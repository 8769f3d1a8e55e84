// Load professionals and their employment. Parameters: $rows [{id, name, function, organisation_id, since, until, phone, is_coach, source}]
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation_id})
MERGE (p:Professional {id: row.id})
SET p.name = row.name, p.function = row.function, p.phone = row.phone,
    p.is_coach = coalesce(row.is_coach, false), p.source = row.source
MERGE (p)-[w:WORKS_FOR]->(o)
SET w.since = row.since, w.until = row.until, w.source = row.source
