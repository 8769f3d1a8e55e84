// Register one intake signal (the lead's intake), about a household when it is known.
// Parameters: $id, $date, $channel, $area_code, $household_id (or null), $source, $at
MATCH (ar:Area {code: $area_code})
OPTIONAL MATCH (h:Household {id: $household_id})
CREATE (s:Signal {id: $id, date: $date, channel: $channel, area_code: $area_code, source: $source,
                  recorded_at: $at, version: 0})
FOREACH (_ IN CASE WHEN h IS NULL THEN [] ELSE [1] END | CREATE (s)-[:ABOUT {source: $source}]->(h))
RETURN s.id AS id
