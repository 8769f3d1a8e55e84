// title: Audit checkpoint: the latest
// answers: Which is the most recent signed checkpoint of the audit log in the graph?
// params: (none)
MATCH (c:AuditCheckpoint)
RETURN c.log_id AS log_id, c.seq AS seq, c.head AS head, c.records AS records, c.at AS at, c.key_id AS key_id,
       c.sig AS sig
ORDER BY c.at DESC, c.seq DESC
LIMIT 1
