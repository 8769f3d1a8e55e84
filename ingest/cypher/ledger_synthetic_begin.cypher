// The synthetic demo's load starts. Parameters: $key, $now
MERGE (i:Import {file_hash: $key})
SET i.kind = 'synthetic', i.started_at = $now, i.completed = false
