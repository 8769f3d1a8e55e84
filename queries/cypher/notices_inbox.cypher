// title: Signals in one inbox
// answers: Which signals reach this recipient — the threshold signals addressed to them; for a coach the new involvements on households of the caseload (not their own); the matches on either side of which the recipient is the professional — with the other side's organisation, professional, function, life domain, since-date and work phone read now, and the recipient's own status (new until they mark it)?
// params: recipient (professional id or role:project_lead); households (household ids the reader may see, or null = no household bound); own_only (true: only matches about the recipient's own involvements); include_done (bool)
// A match is one notice per pair (its `a` and `b` involvements): each side's professional reads it about the other
// side, except the `quiet` side (the household's coach, told by the new-involvement notice instead).
CALL () {
  MATCH (k:Notice {recipient: $recipient})
  WHERE NOT $own_only AND ($households IS NULL OR k.household_id IN $households)
  RETURN k, null AS own, null AS other
  UNION
  UNWIND CASE WHEN $own_only OR $households IS NULL THEN [] ELSE $households END AS hid
  MATCH (k:Notice {household_id: hid})
  WHERE k.kind = 'new_involvement'
  MATCH (p:Professional)-[:PERFORMS]->(other:Involvement {id: k.involvement})
  WHERE p.id <> $recipient
  RETURN k, null AS own, other
  UNION
  MATCH (:Professional {id: $recipient})-[:PERFORMS]->(own:Involvement)
  CALL (own) {
    MATCH (k:Notice {a: own.id}) RETURN k, k.b AS oid
    UNION
    MATCH (k:Notice {b: own.id}) RETURN k, k.a AS oid
  }
  WITH k, own, oid
  WHERE coalesce(k.quiet, '') <> own.id AND ($households IS NULL OR k.household_id IN $households)
  MATCH (other:Involvement {id: oid})
  RETURN k, own, other
}
OPTIONAL MATCH (s:NoticeState {key: k.key + '|' + $recipient})
WITH k, own, other, coalesce(s.status, 'new') AS status
WHERE $include_done OR status <> 'done'
OPTIONAL MATCH (op:Professional)-[:PERFORMS]->(other)
OPTIONAL MATCH (other)-[:ON_BEHALF_OF]->(oorg:Organisation)
RETURN k.key AS key, k.kind AS kind, status, k.date AS date, k.created_at AS created_at,
       k.household_id AS household_id, own.id AS own_involvement, own.life_domain AS own_life_domain,
       other.id AS other_involvement, oorg.name AS other_organisation, op.name AS other_professional,
       other.function AS other_function, other.life_domain AS other_life_domain, other.since AS other_since,
       op.phone AS contact, k.detail AS detail, k.args AS args, k.count AS count
ORDER BY CASE status WHEN 'new' THEN 0 WHEN 'read' THEN 1 ELSE 2 END, date DESC, created_at DESC, key
