// title: Counts per label
// answers: How many nodes of each kind does the database hold? (count store, constant time)
// params: (none)
MATCH (n:Area) WITH count(n) AS c RETURN 'Area' AS label, c AS count
UNION ALL
MATCH (n:Household) WITH count(n) AS c RETURN 'Household' AS label, c AS count
UNION ALL
MATCH (n:Person) WITH count(n) AS c RETURN 'Person' AS label, c AS count
UNION ALL
MATCH (n:Organisation) WITH count(n) AS c RETURN 'Organisation' AS label, c AS count
UNION ALL
MATCH (n:Professional) WITH count(n) AS c RETURN 'Professional' AS label, c AS count
UNION ALL
MATCH (n:Involvement) WITH count(n) AS c RETURN 'Involvement' AS label, c AS count
UNION ALL
MATCH (n:Handover) WITH count(n) AS c RETURN 'Handover' AS label, c AS count
UNION ALL
MATCH (n:Referral) WITH count(n) AS c RETURN 'Referral' AS label, c AS count
UNION ALL
MATCH (n:Mandate) WITH count(n) AS c RETURN 'Mandate' AS label, c AS count
UNION ALL
MATCH (n:Advice) WITH count(n) AS c RETURN 'Advice' AS label, c AS count
UNION ALL
MATCH (n:Plan) WITH count(n) AS c RETURN 'Plan' AS label, c AS count
UNION ALL
MATCH (n:Goal) WITH count(n) AS c RETURN 'Goal' AS label, c AS count
UNION ALL
MATCH (n:Agreement) WITH count(n) AS c RETURN 'Agreement' AS label, c AS count
UNION ALL
MATCH (n:LadderScore) WITH count(n) AS c RETURN 'LadderScore' AS label, c AS count
UNION ALL
MATCH (n:Signal) WITH count(n) AS c RETURN 'Signal' AS label, c AS count
UNION ALL
MATCH (n:Consent) WITH count(n) AS c RETURN 'Consent' AS label, c AS count
UNION ALL
MATCH (n:Consultation) WITH count(n) AS c RETURN 'Consultation' AS label, c AS count
