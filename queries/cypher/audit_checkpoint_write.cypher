// title: Audit checkpoint: store one
// answers: Keeps a signed checkpoint of the audit log (log id, last sequence number, record count, head MAC, time, signing key id, signature) in the graph, a second place beside the shipped checkpoint file.
// params: $id, $log_id, $seq, $head, $records, $at, $key_id, $sig
MERGE (c:AuditCheckpoint {id: $id})
ON CREATE SET c.log_id = $log_id, c.seq = $seq, c.head = $head, c.records = $records, c.at = $at,
              c.key_id = $key_id, c.sig = $sig
