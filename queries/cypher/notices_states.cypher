// title: Signals: one reader's statuses
// answers: Which status (read, done) has this reader given which signals, on which occurrence of each (a threshold's crossing) and the signal's date then? A signal without one, or with one of another occurrence, is unread.
// params: recipient (professional id or role:project_lead)
MATCH (s:NoticeState)
WHERE s.recipient = $recipient
RETURN s.notice AS notice, s.status AS status, s.occurrence AS occurrence, s.date AS date
