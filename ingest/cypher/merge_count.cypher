// What a merge of $dup into $keep would move: relationships of the merged-away person per type and direction,
// whether they lie between the two, and whether the survivor already holds one of that type to the same node.
MATCH (keep:Person {id: $keep})
MATCH (dup:Person {id: $dup})-[r]-(x)
USING INDEX SEEK dup:Person(id)  // whatever the statistics (tests/integration/test_lookup_plans.py)
WITH keep, dup, r, x, type(r) AS t, startNode(r) = dup AS out
RETURN t, out, x = keep OR x = dup AS between,
       CASE WHEN out THEN EXISTS { MATCH (keep)-[q]->(x) WHERE type(q) = t }
            ELSE EXISTS { MATCH (keep)<-[q]-(x) WHERE type(q) = t } END AS held,
       count(*) AS n
