// Load organisations. Parameters: $rows [{id, name, sector, covenant_group, mandating, source}]
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o.name = row.name, o.sector = row.sector, o.covenant_group = row.covenant_group,
    o.mandating = coalesce(row.mandating, false), o.source = row.source
