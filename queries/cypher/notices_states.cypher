// title: Signals: their readers' statuses
// answers: Which status (read, done) has each reader given these signals (keys `<signal>|<reader>`)? A signal without one is unread.
// params: keys (list of `<signal key>|<reader>`)
UNWIND $keys AS key
MATCH (s:NoticeState {key: key})
RETURN s.key AS key, s.status AS status
