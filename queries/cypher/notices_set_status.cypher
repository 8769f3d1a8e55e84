// title: Mark a signal
// answers: Set the status (new, read, done) of one signal addressed to the recipient, within what they may see; how many were changed?
// params: key; recipient; households (ids the reader may see, or null); own_only (bool); status; now (ISO timestamp)
MATCH (k:Notice {key: $key, recipient: $recipient})
WHERE ($households IS NULL OR k.household_id IN $households)
  AND (NOT $own_only OR (k.kind = 'match' AND EXISTS {
        MATCH (:Professional {id: $recipient})-[:PERFORMS]->(:Involvement {id: k.own_involvement}) }))
SET k.status = $status,
    k.read_at = CASE WHEN $status = 'new' THEN null ELSE coalesce(k.read_at, $now) END,
    k.done_at = CASE WHEN $status = 'done' THEN $now ELSE null END
RETURN count(k) AS changed
