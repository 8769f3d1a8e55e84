// Load persons (id is a pseudonym). Parameters: $rows [{id, birth_year, gender, display_name, has_bsn, source}]
// A source that only knows *that* a person exists (an involvement export: BSN, no birth date) must not erase
// what the population register said, so absent attributes keep their stored value.
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p.birth_year = coalesce(row.birth_year, p.birth_year), p.gender = coalesce(row.gender, p.gender),
    p.display_name = coalesce(row.display_name, p.display_name),
    p.has_bsn = coalesce(row.has_bsn, true),
    // the source of the person's facts: a source that only names the person (no birth year, no gender) keeps it
    p.source = CASE WHEN p.source IS NULL OR row.birth_year IS NOT NULL OR row.gender IS NOT NULL THEN row.source
                    ELSE p.source END
