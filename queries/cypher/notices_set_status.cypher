// title: Mark a signal
// answers: Set the recipient's own status (new, read, done) of one signal that reaches them (as notices_inbox reads it), within what they may see; how many were changed?
// params: key; recipient; households (ids the reader may see, or null); own_only (bool); status; now (ISO timestamp); source (who marks it)
// The status is a small `:NoticeState` node per (signal, recipient), made when a reader first marks the signal.
MATCH (k:Notice {key: $key})
WHERE ($households IS NULL OR k.household_id IN $households)
  AND CASE k.kind
        WHEN 'match' THEN EXISTS {
          MATCH (:Professional {id: $recipient})-[:PERFORMS]->(i:Involvement)
          WHERE i.id IN [k.a, k.b] AND i.id <> coalesce(k.quiet, '') }
        WHEN 'new_involvement' THEN NOT $own_only AND $households IS NOT NULL AND NOT EXISTS {
          MATCH (:Professional {id: $recipient})-[:PERFORMS]->(:Involvement {id: k.involvement}) }
        ELSE NOT $own_only AND k.recipient = $recipient
      END
MERGE (s:NoticeState {key: k.key + '|' + $recipient})
  ON CREATE SET s.notice = k.key, s.recipient = $recipient, s.date = k.date, s.source = $source
SET s.status = $status,
    s.read_at = CASE WHEN $status = 'new' THEN null ELSE coalesce(s.read_at, $now) END,
    s.done_at = CASE WHEN $status = 'done' THEN $now ELSE null END
RETURN count(s) AS changed
