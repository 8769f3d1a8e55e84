// Load organisations. Parameters: $rows [{id, name, sector, covenant_group, mandating, aliases, source}]
// aliases: other names an export may use for the organisation (matched like the name, see ingest.resolve).
// A group, mandate flag or aliases the row does not give (an empty cell, a mapping or profile without them) keep
// what the organisation has: a partner's mandate is not withdrawn by an export that does not mention it.
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o.name = row.name, o.sector = row.sector, o.covenant_group = coalesce(row.covenant_group, o.covenant_group),
    o.mandating = coalesce(row.mandating, o.mandating, false), o.aliases = coalesce(row.aliases, o.aliases),
    o.source = row.source
