// title: Organisations
// answers: Which organisations are there, with their sector and covenant group (names only, no client data)?
// params: (none)
MATCH (o:Organisation)
RETURN o.id AS id, o.name AS name, o.sector AS sector, o.covenant_group AS covenant_group,
       coalesce(o.mandating, false) AS mandating
ORDER BY o.id
