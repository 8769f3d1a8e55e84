// title: Signals: the last matching day and the expiry cut-off
// answers: On which day did the last load (or run) match involvements, and before which day have signals been expired (`wijknet signals expire`)? A reader's signals are derived on those days (queries.notices).
// params: (none)
OPTIONAL MATCH (d:NoticeDays {id: 'signals'})
RETURN d.last_matched AS last_matched, d.expired_before AS expired_before
