// The import ledger's epoch in this database, created on first use. Parameters: $new (a fresh epoch id)
// The side store's change digests belong to one epoch: an emptied database gets a new one, so nothing is skipped
// against a graph that lost what the digests describe.
MERGE (e:Import {file_hash: 'wijknet:epoch'})
  ON CREATE SET e.epoch = $new, e.kind = 'epoch'
RETURN e.epoch AS epoch
