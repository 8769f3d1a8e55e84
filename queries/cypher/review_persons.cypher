// title: Review persons
// answers: What a data steward judges a possible duplicate by, per person: the birth year (the graph keeps no more of the birth date), the households they are a member of and the client systems they are in (address, role, since, until), and how many involvements concern them; never the name, the birth date or the BSN.
// params: $ids
UNWIND $ids AS id
MATCH (p:Person {id: id})
OPTIONAL MATCH (h:Household)-[m:HAS_MEMBER]->(p)
WITH p, [x IN collect({household: h.id, postcode: h.postcode, house_number: h.house_number, suffix: h.suffix,
                       role: m.role, since: m.since, until: m.until}) WHERE x.household IS NOT NULL] AS households
OPTIONAL MATCH (p)-[c:IN_CLIENT_SYSTEM]->(s:Household)
WITH p, households, [x IN collect({household: s.id, postcode: s.postcode, house_number: s.house_number,
                                   suffix: s.suffix, role: c.relation, since: c.since, until: c.until})
                     WHERE x.household IS NOT NULL] AS systems
RETURN p.id AS id, p.birth_year AS birth_year, households, systems,
       COUNT { (:Involvement)-[:CONCERNS]->(p) } AS involvements
