// Every organisation's id, name and declared aliases: an export that names organisations by name is matched
// against these (case, punctuation and spacing do not count; see ingest.resolve.normalise_name).
MATCH (o:Organisation)
RETURN o.id AS id, o.name AS name, o.aliases AS aliases
