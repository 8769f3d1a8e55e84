// Before a file is read: the ledger epoch (if any) and the completed import of this file with this mapping (if
// any: "already imported" when it rejected no row), in one round trip. Parameters: $key (<sha256>:<mapping>:<digest>)
OPTIONAL MATCH (e:Import {file_hash: 'wijknet:epoch'})
OPTIONAL MATCH (i:Import {file_hash: $key})
  WHERE i.completed
RETURN e.epoch AS epoch, i IS NOT NULL AS completed, i.rows_read AS rows_read, i.rows_loaded AS rows_loaded,
       i.rows_rejected AS rows_rejected, i.completed_at AS completed_at
