// Load areas (wijk/buurt). Parameters: $rows [{code, name, kind, municipality, source}]
UNWIND $rows AS row
MERGE (a:Area {code: row.code})
SET a.name = row.name, a.kind = row.kind, a.municipality = row.municipality, a.source = row.source
