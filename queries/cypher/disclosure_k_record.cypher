// title: Disclosure threshold: record the deployment's
// answers: Records the disclosure threshold k the app is started with, so every process of the deployment (the pages and `wijknet report`) publishes at least at that k.
// params: $k
MATCH (v:SchemaVersion {id: 'wijknet'})
SET v.disclosure_k = $k
