// Every area's code and name: a register extract's area column may name an area as the municipality loaded it
// (ingest.resolve.with_graph_areas).
MATCH (a:Area)
RETURN a.code AS code, a.name AS name
