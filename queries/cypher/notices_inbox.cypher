// title: Signals in one inbox
// answers: Which signals (matches, new involvements, thresholds) are addressed to this recipient — for a coach only about households in the caseload, for a partner professional only about their own involvements?
// params: recipient (professional id or role:project_lead); households (household ids the reader may see, or null = no household bound); own_only (true: only matches about the recipient's own involvements); include_done (bool)
MATCH (k:Notice {recipient: $recipient})
WHERE ($households IS NULL OR k.household_id IN $households)
  AND ($include_done OR k.status <> 'done')
  AND (NOT $own_only OR (k.kind = 'match' AND EXISTS {
        MATCH (:Professional {id: $recipient})-[:PERFORMS]->(:Involvement {id: k.own_involvement}) }))
RETURN k.key AS key, k.kind AS kind, k.status AS status, k.date AS date, k.created_at AS created_at,
       k.household_id AS household_id, k.own_involvement AS own_involvement, k.own_life_domain AS own_life_domain,
       k.other_organisation AS other_organisation, k.other_professional AS other_professional,
       k.other_function AS other_function, k.other_life_domain AS other_life_domain, k.other_since AS other_since,
       k.contact AS contact, k.detail AS detail, k.count AS count
ORDER BY CASE k.status WHEN 'new' THEN 0 WHEN 'read' THEN 1 ELSE 2 END, k.date DESC, k.created_at DESC, k.key
