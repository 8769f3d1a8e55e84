// title: Period covered
// answers: From when to when do the involvements run, and how many are still open?
// params: (none)
// From the indexes and the count store, without reading an involvement: the first start and the last start and
// end by the range indexes on since and until (ORDER BY … LIMIT 1 reads one index entry), the number of
// involvements from the count store, the ended ones by counting the until index. The last date is the later of
// the last end and the last start, which is the last coalesce(until, since), as an end never lies before its
// start (ingest rejects such a row). A scan of every involvement took minutes cold at 800,000 households.
// A municipality's own exports run on to the date they were made (--as-of, by default the day of the load): their
// open involvements and caseloads are open on that day, so the data's last day is at least the latest export's
// date (a live setup opened its pages on the last start of an involvement, two years back, with no coach yet).
MATCH (inv:Involvement)
WITH count(inv) AS involvements
WITH involvements,
     head(COLLECT { MATCH (i:Involvement) WHERE i.since IS NOT NULL RETURN i.since AS d ORDER BY d ASC LIMIT 1 })
       AS first_since,
     head(COLLECT { MATCH (i:Involvement) WHERE i.since IS NOT NULL RETURN i.since AS d ORDER BY d DESC LIMIT 1 })
       AS last_since,
     head(COLLECT { MATCH (i:Involvement) WHERE i.until IS NOT NULL RETURN i.until AS d ORDER BY d DESC LIMIT 1 })
       AS last_until,
     COUNT { MATCH (i:Involvement) WHERE i.until IS NOT NULL } AS ended,
     head(COLLECT { MATCH (x:Import {kind: 'file'}) WHERE x.completed AND x.as_of IS NOT NULL
                    RETURN x.as_of AS d ORDER BY d DESC LIMIT 1 }) AS last_export
WITH first_since, involvements, ended, last_export,
     CASE WHEN last_until IS NULL OR last_since > last_until THEN last_since ELSE last_until END AS last_fact
RETURN first_since,
       CASE WHEN last_export IS NOT NULL AND (last_fact IS NULL OR last_export > last_fact) THEN last_export
            ELSE last_fact END AS last_date,
       involvements, involvements - ended AS open_involvements
