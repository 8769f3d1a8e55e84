// How many rows of the previous import of the mapping this file lacks, and how many of them were ended.
// Parameters: $key, $vanished, $ended
MATCH (i:Import {file_hash: $key})
SET i.rows_vanished = $vanished, i.rows_ended = $ended
