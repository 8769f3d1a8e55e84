// A batch of an import committed (in the batch's own transaction). Parameters: $key, $n (the batch's number)
// Batches may commit out of order: the count only grows (a re-run counts again from 0).
MATCH (i:Import {file_hash: $key})
SET i.batches_done = CASE WHEN i.batches_done >= $n THEN i.batches_done ELSE $n END
