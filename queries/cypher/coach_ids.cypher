// title: Coaches
// answers: Which professionals are wijkcoaches (for sign-in and caseload views)?
// params: (none)
MATCH (p:Professional {is_coach: true})
RETURN p.id AS id ORDER BY p.id
