// title: The imports of source files, latest first
// answers: Which export files were loaded (or started and not finished) with which mapping, when, for which export date, and how many rows were read, loaded and rejected?
// params: $limit
MATCH (i:Import {kind: 'file'})
RETURN i.file_name AS file, i.mapping AS mapping, i.source AS source, i.started_at AS started_at,
       i.completed AS completed, i.completed_at AS completed_at, i.as_of AS as_of, i.rows_read AS rows_read,
       i.rows_loaded AS rows_loaded, i.rows_rejected AS rows_rejected
ORDER BY coalesce(i.completed_at, i.started_at) DESC, i.file_name
LIMIT $limit
