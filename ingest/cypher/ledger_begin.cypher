// An import starts (or starts again after a crash): its ledger entry, not completed. Parameters: $key, $now,
// $mapping, $source, $file, $read
MERGE (i:Import {file_hash: $key})
  ON CREATE SET i.started_at = $now
SET i.kind = 'file', i.mapping = $mapping, i.source = $source, i.file_name = $file, i.batches_done = 0,
    i.completed = false, i.rows_read = $read
