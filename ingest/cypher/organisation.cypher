// Load organisations. Parameters: $rows [{id, name, sector, covenant_group, mandating, aliases, source}]
// aliases: other names an export may use for the organisation (matched like the name, see ingest.resolve).
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o.name = row.name, o.sector = row.sector, o.covenant_group = row.covenant_group,
    o.mandating = coalesce(row.mandating, false), o.aliases = row.aliases, o.source = row.source
