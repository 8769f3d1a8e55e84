// A completed import of this file with this mapping, if any ("already imported"). Parameters: $key (<sha256>:<mapping>)
MATCH (i:Import {file_hash: $key})
WHERE i.completed
RETURN i.rows_read AS rows_read, i.rows_loaded AS rows_loaded, i.rows_rejected AS rows_rejected
