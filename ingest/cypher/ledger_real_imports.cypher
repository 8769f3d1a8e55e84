// The real files imported into this database (not the synthetic demo, not the epoch): how many, and the names of
// the first few, oldest first. A started import counts too: its first batches may have been written. Parameters:
// $shown (how many names)
OPTIONAL MATCH (i:Import {kind: 'file'})
WITH i ORDER BY i.started_at, i.file_name
WITH collect(i.file_name) AS names
RETURN size(names) AS files, names[0..$shown] AS names
