// title: Counts per label
// answers: How many nodes of each kind does the database hold? (count store, constant time)
// params: (none)
MATCH (n:Area) RETURN 'Area' AS label, count(n) AS count
UNION ALL
MATCH (n:Household) RETURN 'Household' AS label, count(n) AS count
UNION ALL
MATCH (n:Person) RETURN 'Person' AS label, count(n) AS count
UNION ALL
MATCH (n:Organisation) RETURN 'Organisation' AS label, count(n) AS count
UNION ALL
MATCH (n:Professional) RETURN 'Professional' AS label, count(n) AS count
UNION ALL
MATCH (n:Involvement) RETURN 'Involvement' AS label, count(n) AS count
UNION ALL
MATCH (n:Handover) RETURN 'Handover' AS label, count(n) AS count
UNION ALL
MATCH (n:Referral) RETURN 'Referral' AS label, count(n) AS count
UNION ALL
MATCH (n:Mandate) RETURN 'Mandate' AS label, count(n) AS count
UNION ALL
MATCH (n:Advice) RETURN 'Advice' AS label, count(n) AS count
UNION ALL
MATCH (n:Plan) RETURN 'Plan' AS label, count(n) AS count
UNION ALL
MATCH (n:Goal) RETURN 'Goal' AS label, count(n) AS count
UNION ALL
MATCH (n:Agreement) RETURN 'Agreement' AS label, count(n) AS count
UNION ALL
MATCH (n:LadderScore) RETURN 'LadderScore' AS label, count(n) AS count
UNION ALL
MATCH (n:Signal) RETURN 'Signal' AS label, count(n) AS count
UNION ALL
MATCH (n:Consent) RETURN 'Consent' AS label, count(n) AS count
UNION ALL
MATCH (n:Consultation) RETURN 'Consultation' AS label, count(n) AS count
