// An import completed: from now on the same file with the same mapping is "already imported".
// Parameters: $key, $now, $loaded, $rejected
MATCH (i:Import {file_hash: $key})
SET i.completed = true, i.completed_at = $now, i.rows_loaded = $loaded, i.rows_rejected = $rejected
