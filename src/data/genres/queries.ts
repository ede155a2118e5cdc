/** Cypher for genres. A genre is keyed by its name; movie_count is counted, never stored. */

const GENRE = `g { .name, .tmdb_genre_id, .created_at, movie_count: COUNT { (g)<-[:IN_GENRE]-(:Movie) } }`

/** Keyset page by name (unique), so a genre added between pages causes no duplicate or gap. */
export const LIST_GENRES = `
MATCH (g:Genre)
WHERE ($name_prefix IS NULL OR g.name STARTS WITH $name_prefix)
  AND ($after_name IS NULL OR g.name > $after_name)
WITH g
ORDER BY g.name
LIMIT $limit
RETURN ${GENRE} AS genre`

export const GET_GENRE = `
MATCH (g:Genre {name: $name})
RETURN ${GENRE} AS genre`

/** tmdb_genre_id has no constraint; another genre already using it is reported, not duplicated. */
export const FIND_GENRE_BY_TMDB_ID = `
MATCH (g:Genre {tmdb_genre_id: $tmdb_genre_id})
RETURN g.name AS name
LIMIT 1`

export const CREATE_GENRE = `
CREATE (g:Genre {name: $name, created_at: datetime()})
SET g.tmdb_genre_id = $tmdb_genre_id
RETURN ${GENRE} AS genre`

/** Counts and deletes in one statement, so the 409 decision and the delete see the same edges. */
export const DELETE_GENRE = `
MATCH (g:Genre {name: $name})
WITH g, COUNT { (g)<-[:IN_GENRE]-(:Movie) } AS movie_count
FOREACH (_ IN CASE WHEN movie_count = 0 OR $force THEN [1] ELSE [] END | DETACH DELETE g)
RETURN movie_count`
