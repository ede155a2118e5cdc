/**
 * Cypher for movies. Values always travel as parameters; the only text spliced into a query is
 * chosen in this module from fixed lists (relationship types, sort keys, filter clauses).
 */
import { DIRECTED_TYPES, SYMMETRIC_TYPES, relationshipTypeToken } from '../../domain/relationship-types.js'
import type { MovieSort } from '../../schemas/movie.js'
import { INITIAL_AGGREGATES } from './aggregates.js'

/** Genre names of `m`, sorted the way clients see them. */
const GENRE_NAMES = 'COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g.name ORDER BY g.name }'

const MOVIE_FIELDS = `.movie_id, .tmdb_id, .imdb_id, .movielens_id, .title, .original_title, .overview,
  .release_date, .year, .runtime, .original_language, .popularity, .poster_path, .created_at, .updated_at,
  genres: ${GENRE_NAMES},
  ratings: { count: coalesce(m.rating_count, 0), mean: m.rating_mean },
  reviews: { count: coalesce(m.review_count, 0), sentiment_mean: m.sentiment_mean }`

/**
 * Edge counts per type. Every movie-to-movie type joins two movies (each writer matches both ends
 * as :Movie, and none relates a movie to itself), so the far end needs no label check; without
 * one, each count is the degree Neo4j stores on the node, where `(:Movie)` would walk every edge
 * of a hub with tens of thousands of them.
 */
const RELATIONSHIP_COUNTS = `{ ${[
  ...SYMMETRIC_TYPES.map(
    (t) => `${relationshipTypeToken(t)}: COUNT { (m)-[:${relationshipTypeToken(t)}]-() }`
  ),
  ...DIRECTED_TYPES.map((t) => {
    const type = relationshipTypeToken(t)
    return `${type}: { out: COUNT { (m)-[:${type}]->() }, in: COUNT { (m)<-[:${type}]-() } }`
  })
].join(',\n  ')} }`

/** The list shape of `m`. */
const MOVIE = `m { ${MOVIE_FIELDS} }`
/** The detail shape of `m`: the list shape plus edge counts. */
const MOVIE_DETAIL = `m { ${MOVIE_FIELDS},\n  relationships: ${RELATIONSHIP_COUNTS} }`

/**
 * Replaces the genres of `m` with $genres (already trimmed, unique); null leaves them alone.
 * Missing genres are merged by name, which the uniqueness constraint keeps race-free.
 */
const REPLACE_GENRES = `
CALL (m) {
  OPTIONAL MATCH (m)-[r:IN_GENRE]->(old:Genre)
  WHERE $genres IS NOT NULL AND NOT old.name IN $genres
  DELETE r
}
CALL (m) {
  UNWIND coalesce($genres, []) AS name
  MERGE (g:Genre {name: name})
    ON CREATE SET g.created_at = datetime()
  MERGE (m)-[:IN_GENRE]->(g)
}`

export const GET_MOVIE = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN ${MOVIE_DETAIL} AS movie`

export const GET_MOVIE_BY_TMDB = `
MATCH (m:Movie {tmdb_id: $tmdb_id})
RETURN ${MOVIE_DETAIL} AS movie`

export const CREATE_MOVIE = `
WITH $props AS raw
CREATE (m:Movie {movie_id: $movie_id})
SET m += raw {.*, release_date: date(raw.release_date)},
    m.title_lower = toLower(raw.title),
    m.created_at = datetime(),
    m.updated_at = datetime(),
    ${INITIAL_AGGREGATES}
WITH m
${REPLACE_GENRES}
RETURN m.movie_id AS movie_id`

/**
 * Idempotent upsert keyed on tmdb_id. MERGE under the tmdb_id uniqueness constraint serializes
 * concurrent callers onto one node. A marker set only ON CREATE tells a creation from a match
 * within this statement. No row comes back when the node exists under a different movie_id
 * than the body names. updated_at moves only when a value or the genre set actually changes.
 */
export const UPSERT_MOVIE_BY_TMDB = `
MERGE (m:Movie {tmdb_id: $tmdb_id})
  ON CREATE SET m.__created = true, m.movie_id = $new_movie_id, m.created_at = datetime(), ${INITIAL_AGGREGATES}
WITH m, m.__created IS NOT NULL AS created
REMOVE m.__created
WITH m, created
WHERE created OR $movie_id IS NULL OR m.movie_id = $movie_id
WITH m, created, $props AS raw, ${GENRE_NAMES} AS genres_before
WITH m, created, genres_before, raw {.*, release_date: date(raw.release_date)} AS props
WITH m, created, props,
     created
       OR any(k IN keys(props) WHERE NOT coalesce(m[k] = props[k], m[k] IS NULL AND props[k] IS NULL))
       OR ($genres IS NOT NULL AND genres_before <> $genres) AS changed
SET m += props,
    m.title_lower = toLower(props.title),
    m.updated_at = CASE WHEN changed THEN datetime() ELSE m.updated_at END
WITH m, created
${REPLACE_GENRES}
RETURN m.movie_id AS movie_id, created`

/**
 * Reads what a patch is checked against, after taking the node's write lock (a same-value SET
 * still locks) so that concurrent patches of one movie apply in turn instead of on stale reads.
 */
export const LOCK_MOVIE_FOR_UPDATE = `
MATCH (m:Movie {movie_id: $movie_id})
SET m.movie_id = m.movie_id
RETURN m { .tmdb_id, .imdb_id, .movielens_id, .title, .original_title, .overview, .release_date, .year,
           .runtime, .original_language, .popularity, .poster_path } AS fields,
       ${GENRE_NAMES} AS genres`

/** $set holds only the fields the patch names (release_date apart, as it needs date()). */
export const PATCH_MOVIE = `
MATCH (m:Movie {movie_id: $movie_id})
SET m += $set,
    m.release_date = CASE WHEN $set_release_date THEN date($release_date) ELSE m.release_date END,
    m.updated_at = CASE WHEN $changed THEN datetime() ELSE m.updated_at END
SET m.title_lower = toLower(m.title)
WITH m
${REPLACE_GENRES}
RETURN m.movie_id AS movie_id`

export const REPLACE_MOVIE_GENRES = `
MATCH (m:Movie {movie_id: $movie_id})
WITH m, ${GENRE_NAMES} AS genres_before
SET m.updated_at = CASE WHEN genres_before <> $genres THEN datetime() ELSE m.updated_at END
WITH m
${REPLACE_GENRES}
RETURN m.movie_id AS movie_id, ${GENRE_NAMES} AS genres`

/**
 * Which of the candidate keys another movie already holds. "Another" excludes the movie being
 * written, known by movie_id (patch) or tmdb_id (upsert); null parameters exclude nothing.
 */
export const FIND_MOVIE_KEY_CONFLICTS = `
RETURN [field IN [
  CASE WHEN $movie_id IS NOT NULL AND EXISTS {
    MATCH (o:Movie {movie_id: $movie_id}) WHERE NOT coalesce(o.tmdb_id = $self_tmdb_id, false)
  } THEN 'movie_id' END,
  CASE WHEN $tmdb_id IS NOT NULL AND EXISTS {
    MATCH (o:Movie {tmdb_id: $tmdb_id}) WHERE NOT coalesce(o.movie_id = $self_movie_id, false)
  } THEN 'tmdb_id' END,
  CASE WHEN $imdb_id IS NOT NULL AND EXISTS {
    MATCH (o:Movie {imdb_id: $imdb_id})
    WHERE NOT coalesce(o.movie_id = $self_movie_id, false) AND NOT coalesce(o.tmdb_id = $self_tmdb_id, false)
  } THEN 'imdb_id' END
] WHERE field IS NOT NULL] AS fields`

/**
 * The movie goes with everything that only describes it: its reviews and ratings (and their own
 * edges) and every edge it has. Genres, users and searches stay; DETACH DELETE takes the edges
 * from searches and genres to the movie. The movie's write lock comes first, as in every review
 * and rating writer: one in flight finishes before its review or rating is collected here, so none
 * is left behind without its movie.
 */
export const DELETE_MOVIE = `
MATCH (m:Movie {movie_id: $movie_id})
SET m._lock = true
WITH m
CALL (m) {
  MATCH (r:Review)-[:REVIEWS]->(m)
  DETACH DELETE r
}
CALL (m) {
  MATCH (r:Rating)-[:RATES]->(m)
  DETACH DELETE r
}
DETACH DELETE m
RETURN count(*) AS deleted`

export type SortOrder = 'asc' | 'desc'

/** Sort keys → property expressions: the allow-list that keeps query text fixed. */
const SORT_KEYS: Record<MovieSort, { key: string; cursorKey: string; after: string }> = {
  title: { key: 'm.title_lower', cursorKey: 'm.title_lower', after: '$after_key' },
  year: { key: 'm.year', cursorKey: 'm.year', after: '$after_key' },
  rating: { key: 'm.rating_mean', cursorKey: 'm.rating_mean', after: '$after_key' },
  popularity: { key: 'm.popularity', cursorKey: 'm.popularity', after: '$after_key' },
  // The cursor carries [epochSeconds, nanosecond]: exact, and always a valid datetime to rebuild.
  created: {
    key: 'm.created_at',
    cursorKey: '[m.created_at.epochSeconds, m.created_at.nanosecond]',
    after: 'datetime({epochSeconds: $after_key[0], nanosecond: $after_key[1]})'
  }
}

export interface ListMoviesShape {
  sort: MovieSort
  order: SortOrder
  genre: boolean
  yearFrom: boolean
  yearTo: boolean
  minRating: boolean
  titlePrefix: boolean
  /** null: first page; 'null-key': the last row had no sort value; 'key': it had one. */
  after: null | 'null-key' | 'key'
}

/**
 * One page of movies in (sort key, movie_id) order, rows without a sort value last in either
 * direction. The page starts strictly after the cursor row, so rows added or removed between
 * requests shift nothing among the others. Fetch limit + 1 to know whether a next page exists.
 */
export function listMoviesQuery(shape: ListMoviesShape): string {
  const sort = SORT_KEYS[shape.sort]
  const dir = shape.order === 'desc' ? 'DESC' : 'ASC'
  const op = shape.order === 'desc' ? '<' : '>'
  const k = sort.key
  const where: string[] = []
  if (shape.yearFrom) where.push('m.year >= $year_from')
  if (shape.yearTo) where.push('m.year <= $year_to')
  if (shape.minRating) where.push('m.rating_mean >= $min_rating')
  if (shape.titlePrefix) where.push('m.title_lower STARTS WITH toLower($title_prefix)')
  if (shape.after === 'null-key') where.push(`${k} IS NULL AND m.movie_id ${op} $after_id`)
  if (shape.after === 'key') {
    where.push(
      `(${k} IS NULL OR ${k} ${op} ${sort.after} OR (${k} = ${sort.after} AND m.movie_id ${op} $after_id))`
    )
  }
  const match = shape.genre ? 'MATCH (:Genre {name: $genre})<-[:IN_GENRE]-(m:Movie)' : 'MATCH (m:Movie)'
  return `
${match}
${where.length > 0 ? `WHERE ${where.join('\n  AND ')}` : ''}
WITH m
ORDER BY ${k} IS NULL, ${k} ${dir}, m.movie_id ${dir}
LIMIT $limit
RETURN ${MOVIE} AS movie, ${sort.cursorKey} AS cursor_key`
}
