// title: Professional known
// answers: Is there a professional with this id, and is it a wijkcoach (when an account is linked to it)?
// params: $id
OPTIONAL MATCH (p:Professional {id: $id})
RETURN p IS NOT NULL AS known, coalesce(p.is_coach, false) AS is_coach
