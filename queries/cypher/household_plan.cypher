// title: A household's plan
// answers: Which goals per life domain, "voor wat hoort wat" agreements and announced sanctions are in the household's plan(s)?
// params: $household_id
MATCH (h:Household {id: $household_id})-[:HAS_PLAN]->(p:Plan)
CALL (p) {
  MATCH (p)-[:HAS_GOAL]->(g:Goal)
  RETURN 'goal' AS item, g.id AS id, g.life_domain AS life_domain, g.description AS text, g.status AS status,
         null AS date, null AS due
  UNION ALL
  MATCH (p)-[:HAS_AGREEMENT]->(a:Agreement)
  RETURN a.kind AS item, a.id AS id, null AS life_domain, a.text AS text, a.status AS status, a.date AS date,
         a.due AS due
}
RETURN p.id AS plan_id, p.created_at AS created_at, item, id, life_domain, text, status, date, due
ORDER BY created_at, item, coalesce(date, created_at), id
