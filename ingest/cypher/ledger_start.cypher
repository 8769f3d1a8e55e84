// An import starts writing (or starts again after a crash): the ledger epoch (created on first use, see
// ledger_epoch.cypher) and the import's entry, not completed, in one round trip. Parameters: $new (a fresh epoch
// id), $key, $now, $mapping, $source, $file, $read, $as_of (the export's date: the day its open records are
// open on, what the pages open on)
MERGE (e:Import {file_hash: 'wijknet:epoch'})
  ON CREATE SET e.epoch = $new, e.kind = 'epoch'
MERGE (i:Import {file_hash: $key})
  ON CREATE SET i.started_at = $now
SET i.kind = 'file', i.mapping = $mapping, i.source = $source, i.file_name = $file, i.batches_done = 0,
    i.completed = false, i.rows_read = $read, i.as_of = $as_of
RETURN e.epoch AS epoch
