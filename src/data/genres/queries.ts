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

/** The genre holding a tmdb_genre_id, so a 409 can name it (the constraint backs this up). */
export const FIND_GENRE_BY_TMDB_ID = `
MATCH (g:Genre {tmdb_genre_id: $tmdb_genre_id})
RETURN g.name AS name
LIMIT 1`

export const CREATE_GENRE = `
CREATE (g:Genre {name: $name, created_at: datetime()})
SET g.tmdb_genre_id = $tmdb_genre_id
RETURN ${GENRE} AS genre`

/**
 * Counts and deletes in one statement, after taking the genre's write lock: a transaction linking
 * a movie to the genre holds a lock on it until it commits, so the count waits for it and sees its
 * edge. Without the lock the count could miss an edge being added, and DETACH DELETE would then
 * silently remove it.
 */
export const DELETE_GENRE = `
MATCH (g:Genre {name: $name})
SET g._lock = true
WITH g, COUNT { (g)<-[:IN_GENRE]-(:Movie) } AS movie_count
REMOVE g._lock
FOREACH (_ IN CASE WHEN movie_count = 0 OR $force THEN [1] ELSE [] END | DETACH DELETE g)
RETURN movie_count`
