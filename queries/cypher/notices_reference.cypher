// title: Signals: the last matching day and the expiry cut-off
// answers: On which day did the last load (or run) match involvements, and before which day have signals been expired (`wijknet signals expire`)? A reader's signals are derived on those days (queries.notices).
// params: (none)
OPTIONAL MATCH (w:NoticeExpiry {id: 'signals'})
RETURN w.cutoff AS expired_before,
       COLLECT { MATCH (i:Involvement) WHERE i.seen IS NOT NULL RETURN i.seen ORDER BY i.seen DESC LIMIT 1 } AS last
