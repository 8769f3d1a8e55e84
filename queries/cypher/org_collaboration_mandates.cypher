// title: Mandates granted and advice adopted or refused, per organisation
// answers: How many mandates did each organisation grant to coaches in the period, and how often was advice under them adopted, refused or debated?
// params: from, to (dates, inclusive); area (area code or null: advice about households there); life_domain (code or null)
MATCH (o:Organisation)-[g:GRANTS]->(m:Mandate)
WHERE g.since <= $to AND (g.until IS NULL OR g.until >= $from)
  AND ($life_domain IS NULL OR m.life_domain = $life_domain)
CALL (m) {
  OPTIONAL MATCH (adv:Advice)-[:UNDER]->(m)
  WHERE adv.date >= $from AND adv.date <= $to
    AND ($area IS NULL OR EXISTS { MATCH (adv)-[:ABOUT]->(:Household)-[:IN_AREA]->(:Area {code: $area}) })
  RETURN count(CASE WHEN adv.outcome = 'adopted' THEN 1 END) AS adopted,
         count(CASE WHEN adv.outcome = 'refused' THEN 1 END) AS refused,
         count(CASE WHEN adv.outcome = 'debated' THEN 1 END) AS debated
}
RETURN o.id AS organisation_id, count(m) AS mandates, sum(adopted) AS adopted, sum(refused) AS refused,
       sum(debated) AS debated
ORDER BY organisation_id
