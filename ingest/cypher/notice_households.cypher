// Signals (queries.notices, ingest.pairing): one read per batch of the households a reader's signals are about.
// Per household of $households everything the matching rules and the thresholds look at: its members (role,
// period), the parents in its client system (relations $parents), its coaches (period), the involvements on the
// household, a member or such a parent that may be active on a day from $active_from to $as_of (professional,
// organisation, function, period, source, matching day `seen`, subjects, and what a reader is shown of it: names,
// life domain, work phone — never anything recorded about the household), and the handovers dated $from..$as_of
// of cases of the household or a member (for ping-pong). Per person of $persons (subjects in no household): the
// involvements on them. The pairing is done in Python.
// Parameters: $households, $persons, $parents, $active_from, $as_of, $from
CALL () {
  UNWIND $households AS hid
  MATCH (h:Household {id: hid})
  CALL (h) {
    // From the bound household, never from an index of all involvements: no pattern here tests a property of an
    // involvement, so no index of theirs can be planned; the period is tested on the list. With the test in a
    // pattern the planner read the whole Involvement(since) index per household or person whenever its
    // statistics were off (tests/integration/test_matching_plans.py).
    UNWIND [x IN [(i:Involvement)-[:CONCERNS]->(h) | i]
                 + [(h)-[:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(i:Involvement) | i]
                 + [(h)<-[c:IN_CLIENT_SYSTEM]-(:Person)<-[:CONCERNS]-(i:Involvement) WHERE c.relation IN $parents | i]
            WHERE x.since <= $as_of AND (x.until IS NULL OR x.until >= $active_from)] AS i
    WITH DISTINCT i
    OPTIONAL MATCH (p:Professional)-[:PERFORMS]->(i)
    OPTIONAL MATCH (i)-[:ON_BEHALF_OF]->(o:Organisation)
    RETURN collect({id: i.id, professional: p.id, organisation: o.id, function: i.function, role: i.role, since: i.since,
                    until: i.until, source: i.source, seen: i.seen, life_domain: i.life_domain,
                    professional_name: p.name, phone: p.phone, organisation_name: o.name,
                    persons: [(i)-[:CONCERNS]->(x:Person) | x.id],
                    households: [(i)-[:CONCERNS]->(x:Household) | x.id]}) AS involvements
  }
  CALL (h) {
    UNWIND [(b:Involvement)-[:CONCERNS]->(h) | b] + [(h)-[:HAS_MEMBER]->(:Person)<-[:CONCERNS]-(b:Involvement) | b] AS b
    WITH DISTINCT b
    UNWIND [x IN [(ho:Handover)-[:TO]->(b) | ho] WHERE x.date >= $from AND x.date <= $as_of] AS ho
    MATCH (ho)-[:FROM]->(a:Involvement)-[:ON_BEHALF_OF]->(oa:Organisation), (b)-[:ON_BEHALF_OF]->(ob:Organisation)
    WITH DISTINCT ho, a, b, oa, ob
    RETURN collect({life_domain: coalesce(b.life_domain, a.life_domain), from_organisation: oa.id,
                    to_organisation: ob.id, from_name: oa.name, to_name: ob.name, date: ho.date,
                    handover_id: ho.id}) AS handovers
  }
  RETURN h.id AS household, involvements, handovers,
         [(h)-[m:HAS_MEMBER]->(p:Person) | {person: p.id, role: m.role, since: m.since, until: m.until}] AS members,
         [(q:Person)-[c:IN_CLIENT_SYSTEM]->(h) WHERE c.relation IN $parents
          | {person: q.id, relation: c.relation, since: c.since, until: c.until}] AS client,
         [(c:Professional)-[r:COACHES]->(h) | {professional: c.id, since: r.since, until: r.until}] AS coaches
  UNION ALL
  UNWIND $persons AS pid
  MATCH (s:Person {id: pid})
  CALL (s) {
    // from the person, never from an index of all involvements: the period is tested on the list, as above
    UNWIND [x IN [(s)<-[:CONCERNS]-(i:Involvement) | i]
            WHERE x.since <= $as_of AND (x.until IS NULL OR x.until >= $active_from)] AS i
    OPTIONAL MATCH (p:Professional)-[:PERFORMS]->(i)
    OPTIONAL MATCH (i)-[:ON_BEHALF_OF]->(o:Organisation)
    RETURN collect({id: i.id, professional: p.id, organisation: o.id, function: i.function, role: i.role, since: i.since,
                    until: i.until, source: i.source, seen: i.seen, life_domain: i.life_domain,
                    professional_name: p.name, phone: p.phone, organisation_name: o.name,
                    persons: [(i)-[:CONCERNS]->(x:Person) | x.id],
                    households: [(i)-[:CONCERNS]->(x:Household) | x.id]}) AS involvements
  }
  RETURN null AS household, involvements, [] AS handovers, [] AS members, [] AS client, [] AS coaches
}
RETURN household, members, client, coaches, involvements, handovers
