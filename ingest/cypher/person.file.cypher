// Load persons from a file in the server's import directory ($url): one line per record, its fields in model
// order (id, birth_year, gender, display_name, has_bsn, source), written by ingest.loader.encode_line. The same
// as person.cypher: absent attributes keep their stored value.
LOAD CSV FROM $url AS r
MERGE (p:Person {id: r[0]})
SET p.birth_year = coalesce(toInteger(r[1]), p.birth_year), p.gender = coalesce(r[2], p.gender),
    p.display_name = coalesce(r[3], p.display_name), p.has_bsn = coalesce(r[4] = 'true', true),
    // the source of the person's facts: a source that only names the person (no birth year, no gender) keeps it
    p.source = CASE WHEN p.source IS NULL OR r[1] IS NOT NULL OR r[2] IS NOT NULL THEN r[5] ELSE p.source END
