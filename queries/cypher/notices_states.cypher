// title: Signals: one reader's statuses
// answers: Which status (read, done) has this reader given which signals? A signal without one is unread.
// params: recipient (professional id or role:project_lead)
MATCH (s:NoticeState)
WHERE s.recipient = $recipient
RETURN s.notice AS notice, s.status AS status
