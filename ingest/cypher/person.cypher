// Load persons (id is a pseudonym). Parameters: $rows [{id, birth_year, gender, display_name, has_bsn, source}]
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p.birth_year = row.birth_year, p.gender = row.gender, p.display_name = row.display_name,
    p.has_bsn = coalesce(row.has_bsn, true), p.source = row.source
