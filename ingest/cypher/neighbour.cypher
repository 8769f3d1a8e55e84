// Load neighbour ties. Parameters: $rows [{person_id, other_id, source}]
UNWIND $rows AS row
MATCH (a:Person {id: row.person_id})
MATCH (b:Person {id: row.other_id})
MERGE (a)-[n:NEIGHBOUR_OF]->(b)
SET n.source = row.source
