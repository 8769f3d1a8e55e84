// title: Disclosure threshold: the deployment's
// answers: With which disclosure threshold k does this deployment's app publish its aggregates (recorded by `wijknet serve` when it starts the app)?
// params: (none)
MATCH (v:SchemaVersion {id: 'wijknet'})
RETURN v.disclosure_k AS k
