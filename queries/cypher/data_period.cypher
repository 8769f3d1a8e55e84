// title: Period covered
// answers: From when to when do the involvements run, and how many are still open?
// params: (none)
MATCH (i:Involvement)
RETURN min(i.since) AS first_since, max(coalesce(i.until, i.since)) AS last_date,
       count(i) AS involvements, count(CASE WHEN i.until IS NULL THEN 1 END) AS open_involvements
