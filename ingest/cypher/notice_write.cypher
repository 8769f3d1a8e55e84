// Signals (ingest.matching): write the notices $rows (each the map of one :Notice's properties, `key` included,
// made in Python by ingest.pairing) in one statement. A key that exists already (an earlier pass: the same export
// loaded again, `wijknet signals run`) is looked up in the `Notice.key` index and skipped, so no signal is made
// twice; the others are created without relationships. Returns how many of each kind were made.
// Parameters: $rows
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Notice {key: row.key}) }
CREATE (k:Notice)
SET k = row
RETURN row.kind AS kind, count(k) AS created
