// The import ledger's epoch without creating one (a dry run writes nothing). No parameters.
MATCH (e:Import {file_hash: 'wijknet:epoch'})
RETURN e.epoch AS epoch
