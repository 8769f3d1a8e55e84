// title: Audit checkpoints: all of them
// answers: Which signed checkpoints of the audit log does the graph hold, by record?
// params: (none)
MATCH (c:AuditCheckpoint)
RETURN c.log_id AS log_id, c.seq AS seq, c.head AS head, c.records AS records, c.at AS at, c.key_id AS key_id,
       c.sig AS sig
ORDER BY c.seq, c.at
