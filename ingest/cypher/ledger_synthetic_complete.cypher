// The synthetic demo's load completed. Parameters: $key, $rows, $now
MATCH (i:Import {file_hash: $key})
SET i.completed = true, i.rows = $rows, i.completed_at = $now
