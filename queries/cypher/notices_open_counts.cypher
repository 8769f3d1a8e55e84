// title: Open signals per household
// answers: How many signals addressed to this recipient that are not marked done does each household have (for the coach's triaged caseload)?
// params: recipient; households (household ids the reader may see, or null = all the recipient's)
MATCH (k:Notice {recipient: $recipient})
WHERE k.status <> 'done' AND k.household_id IS NOT NULL
  AND ($households IS NULL OR k.household_id IN $households)
RETURN k.household_id AS household_id, count(k) AS open, count(CASE WHEN k.status = 'new' THEN 1 END) AS unread
ORDER BY household_id
