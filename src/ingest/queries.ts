/**
 * Cypher for the bulk importers. Every statement takes its rows from one UNWIND and MERGEs on a
 * uniqueness constraint, so a batch is one round trip and a batch written twice changes nothing.
 *
 * Rows that would change nothing are dropped before any write (movies and tweets are compared in
 * the importer, ratings and tags in the query), so a re-import only reads. "Nothing" covers the
 * relationships a row implies as well as the node's values: a rating, tag or review whose edges
 * were deleted or moved by hand (or went with a deleted movie or user) is written again.
 *
 * Movie aggregates: a batch that adds or changes a movie's ratings (reviews) marks the movie stale
 * for them in the same transaction, under the movie's lock (taken in movie_id order), and the
 * importer recomputes every stale movie from its Rating (Review) nodes when the file is done.
 * Bumping a movie's count, sum and two range indexes in every batch costs more than one exact pass
 * at the end; the flags survive a killed run, so the next run recomputes.
 */
import { INITIAL_AGGREGATES, staleFlag } from '../data/movies/aggregates.js'
import type { AggregateKind } from '../data/movies/aggregates.js'

/** Review timestamps are UTC with millisecond precision, as the reviews API stores them. */
const NOW = "datetime.truncate('millisecond', datetime({timezone: 'Z'}))"

export const ENSURE_GENRES = `
UNWIND $names AS name
MERGE (g:Genre {name: name})
  ON CREATE SET g.created_at = datetime()
`

/**
 * The source's ids for genres that have none yet, run after ENSURE_GENRES. A genre is its name
 * here: a genre that already has an id keeps it, and an id another genre holds stays with that
 * genre (the uniqueness constraint would refuse the batch otherwise).
 */
export const ENSURE_GENRE_TMDB_IDS = `
UNWIND $genres AS genre
MATCH (g:Genre {name: genre.name})
WHERE g.tmdb_genre_id IS NULL
  AND NOT EXISTS { MATCH (:Genre {tmdb_genre_id: genre.tmdb_genre_id}) }
SET g.tmdb_genre_id = genre.tmdb_genre_id
`

/** Users not there yet; existing ones are only read, so re-imports take no user locks. */
export const ENSURE_USERS = `
UNWIND $user_ids AS id
OPTIONAL MATCH (known:User {user_id: id})
WITH id WHERE known IS NULL
MERGE (u:User {user_id: id})
  ON CREATE SET u.created_at = datetime()
`

/** The fields the movie writers compare against; a null variable projects to null. */
function movieState(variable: string): string {
  return `${variable} {
  .movie_id, .tmdb_id, .imdb_id, .movielens_id, .title, .original_title, .aka_titles, .ml_title,
  .overview, .release_date,
  .year, .runtime, .popularity, .vote_average, .vote_count, .original_language, .poster_path,
  .catalog_source, .collection_id, .collection_name, .tmdb_similar_ids, .tmdb_recommended_ids,
  genres: COLLECT { MATCH (${variable})-[:IN_GENRE]->(g:Genre) RETURN g.name ORDER BY g.name }
}`
}

/**
 * What a row could be: the movies holding its TMDB id, its IMDb id and its MovieLens id, and the
 * movie already holding the movie_id a new one would get (its source id removed by hand, say).
 */
export const MOVIE_CANDIDATES = `
UNWIND $rows AS row
OPTIONAL MATCH (by_tmdb:Movie {tmdb_id: row.tmdb_id})
OPTIONAL MATCH (by_imdb:Movie {imdb_id: row.imdb_id})
OPTIONAL MATCH (by_movielens:Movie {movielens_id: row.movielens_id})
OPTIONAL MATCH (by_movie_id:Movie {movie_id: row.movie_id})
RETURN row.key AS key,
       ${movieState('by_tmdb')} AS by_tmdb,
       ${movieState('by_imdb')} AS by_imdb,
       ${movieState('by_movielens')} AS by_movielens,
       ${movieState('by_movie_id')} AS by_movie_id
`

/**
 * Replaces the genres of `m` with row.genres, one edge each (copies made by hand go too); a null
 * list leaves them alone.
 */
const SET_GENRES = `
CALL (m, row) {
  WITH m, row WHERE row.genres IS NOT NULL
  MATCH (m)-[old:IN_GENRE]->(g:Genre)
  WITH row, g, collect(old) AS edges
  UNWIND CASE WHEN g.name IN row.genres THEN edges[1..] ELSE edges END AS extra
  DELETE extra
}
CALL (m, row) {
  UNWIND coalesce(row.genres, []) AS name
  MATCH (g:Genre {name: name})
  MERGE (m)-[:IN_GENRE]->(g)
}`

/**
 * Writes planned movie rows: `create` rows MERGE on `mergeKey` (movielens_id or tmdb_id, whose
 * constraint settles a race between two importers), the others are matched by movie_id. `props`
 * holds what changes (a null removes the property); release_date travels apart, as it needs date().
 */
export function writeMovies(mergeKey: 'movielens_id' | 'tmdb_id'): string {
  const key = mergeKey === 'movielens_id' ? 'movielens_id' : 'tmdb_id'
  return `
UNWIND $rows AS row
CALL (row) {
  WITH row WHERE row.create
  MERGE (m:Movie {${key}: row.props.${key}})
    ON CREATE SET m.__created = true, m.movie_id = row.movie_id, m.created_at = datetime(),
                  ${INITIAL_AGGREGATES}
  RETURN m
  UNION
  WITH row WHERE NOT row.create
  MATCH (m:Movie {movie_id: row.movie_id})
  RETURN m
}
WITH row, m, m.__created IS NOT NULL AS created
REMOVE m.__created
SET m += row.props,
    m.release_date = CASE WHEN row.release_date IS NULL THEN m.release_date ELSE date(row.release_date) END,
    m.title_lower = toLower(m.title),
    m.updated_at = datetime()
WITH row, m, created
${SET_GENRES}
RETURN row.key AS key, m.movie_id AS movie_id, created
`
}

export const MOVIES_BY_MOVIELENS_ID = `
UNWIND $ids AS id
MATCH (m:Movie {movielens_id: id})
RETURN id AS movielens_id, m.movie_id AS movie_id
`

/** Marks the movies named in `movie_ids` (in movie_id order, which is the order their locks are taken). */
function markStale(kind: AggregateKind): string {
  return `
CALL (movie_ids) {
  UNWIND movie_ids AS id
  WITH DISTINCT id ORDER BY id
  MATCH (stale:Movie {movie_id: id})
  SET stale.${staleFlag(kind)} = true
}`
}

/**
 * Ratings keyed by rating_id; the source and its scale are the file's, so they travel once. A row
 * is unchanged only when its rating has the row's values AND exactly its two edges, GAVE from the
 * row's user and RATES to the row's movie: a rating left behind when its movie or user was deleted
 * (DETACH DELETE leaves Rating nodes), or whose edges were deleted or moved by hand, is linked
 * again, and so counts as written. An unchanged row costs one index lookup and a look at the
 * rating's two edges, and writes nothing.
 *
 * A rating whose edges are wrong loses all of them and gets the two it should have; a movie it
 * stops rating is marked stale with the row's. A row whose movie or user is gone by the time it is
 * written writes nothing (a rating created for it is taken back) and comes back in `missing`.
 */
export const WRITE_RATINGS = `
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
MERGE (r:Rating {rating_id: row.rating_id})
  ON CREATE SET r.__created = true
WITH i, row, r, r.__created IS NOT NULL AS created
WITH i, row, r, created,
     NOT created
       AND COUNT { (r)--() } = 2
       AND EXISTS { (r)-[:RATES]->(:Movie {movie_id: row.movie_id}) }
       AND EXISTS { (:User {user_id: row.user_id})-[:GAVE]->(r) } AS linked
WHERE NOT (linked AND coalesce(
  r.score = row.score AND r.original_score = row.original_score
  AND r.original_scale_min = $scale_min AND r.original_scale_max = $scale_max
  AND r.source = $source AND r.rated_at = datetime(row.rated_at), false))
OPTIONAL MATCH (m:Movie {movie_id: row.movie_id})
OPTIONAL MATCH (u:User {user_id: row.user_id})
WITH i, row, r, created, linked, m, u, m IS NOT NULL AND u IS NOT NULL AS found
FOREACH (_ IN CASE WHEN created AND NOT found THEN [1] ELSE [] END | DELETE r)
WITH i, row, r, created, linked, m, u, found,
     CASE WHEN found AND NOT linked AND NOT created
          THEN [(r)-[:RATES]->(o:Movie) WHERE o <> m | o.movie_id] ELSE [] END AS left
CALL (row, r, m, u, found, linked) {
  WITH row, r, m, u, linked WHERE found
  SET r.score = row.score,
      r.original_score = row.original_score,
      r.original_scale_min = $scale_min,
      r.original_scale_max = $scale_max,
      r.source = $source,
      r.rated_at = datetime(row.rated_at),
      r.updated_at = datetime()
  REMOVE r.__created
  WITH r, m, u, linked WHERE NOT linked
  CALL (r) {
    MATCH (r)-[old]-()
    DELETE old
  }
  CREATE (u)-[:GAVE]->(r)
  CREATE (r)-[:RATES]->(m)
}
WITH reduce(ids = collect(CASE WHEN found THEN row.movie_id END), l IN collect(left) | ids + l) AS movie_ids,
     sum(CASE WHEN found AND created THEN 1 ELSE 0 END) AS created,
     sum(CASE WHEN found THEN 1 ELSE 0 END) AS written,
     collect(CASE WHEN NOT found THEN i END) AS missing
${markStale('ratings')}
RETURN created, written, missing
`

/**
 * MovieLens tags: one TAGGED edge per user, movie and tag; the user's lock serialises writers of
 * one edge. A row is unchanged only when exactly one such edge holds the row's values; copies made
 * by hand are removed. Rows whose movie or user is gone come back in `missing`, as row indexes.
 */
export const WRITE_TAGS = `
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (m:Movie {movie_id: row.movie_id})
OPTIONAL MATCH (u:User {user_id: row.user_id})
WITH i, row, m, u, m IS NOT NULL AND u IS NOT NULL AS found,
     COLLECT { MATCH (u)-[known:TAGGED {tag: row.tag}]->(m) RETURN known } AS known
WHERE NOT found OR NOT (size(known) = 1 AND coalesce(
  known[0].tagged_at = datetime(row.tagged_at) AND known[0].source = 'movielens', false))
OPTIONAL CALL (row, m, u, found, known) {
  WITH row, m, u, found, known WHERE found
  SET u._lock = true
  WITH row, m, u, known
  CALL (known) {
    UNWIND known[1..] AS extra
    DELETE extra
  }
  MERGE (u)-[t:TAGGED {tag: row.tag}]->(m)
    ON CREATE SET t.__created = true
  WITH row, u, t, t.__created IS NOT NULL AS created
  SET t.tagged_at = datetime(row.tagged_at), t.source = 'movielens'
  REMOVE t.__created, u._lock
  RETURN created
}
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN found THEN 1 ELSE 0 END) AS written,
       collect(CASE WHEN NOT found THEN i END) AS missing
`

/** Movies the TMDB writer left with links (franchise, similar) still to make. */
export const PENDING_LINK_MOVIES = `
MATCH (m:Movie) WHERE m.tmdb_links_pending = true
RETURN m.movie_id AS movie_id
ORDER BY movie_id
`

/** Every movie in a TMDB collection (one scan: collection_id has no index, and needs none here). */
export const COLLECTION_MEMBERS = `
MATCH (m:Movie) WHERE m.collection_id IS NOT NULL
RETURN m.collection_id AS collection_id, m.movie_id AS movie_id
`

export const LINK_SOURCES = `
UNWIND $movie_ids AS id
MATCH (m:Movie {movie_id: id})
RETURN m.movie_id AS movie_id, m.collection_id AS collection_id,
       coalesce(m.tmdb_similar_ids, []) AS similar, coalesce(m.tmdb_recommended_ids, []) AS recommended,
       coalesce(m.tmdb_links_pending, false) AS pending
`

export const MOVIES_BY_TMDB_ID = `
UNWIND $tmdb_ids AS id
MATCH (m:Movie {tmdb_id: id})
RETURN id AS tmdb_id, m.movie_id AS movie_id
`

/**
 * TMDB similarity, stored once per pair from the smaller movie_id to the larger. An editorial (or
 * other explicit) edge wins and is left alone; a computed one gives way, so a pair keeps a single
 * SIMILAR_TO. A pair listed from both ends keeps the higher score. MERGE locks both movies before
 * it creates an edge, so two importers writing one pair cannot both create it.
 */
export const WRITE_SIMILAR_EDGES = `
UNWIND $pairs AS p
MATCH (a:Movie {movie_id: p.from})
MATCH (b:Movie {movie_id: p.to})
WHERE NOT EXISTS { (a)-[x:SIMILAR_TO]-(b) WHERE NOT coalesce(x.source, '') IN ['computed', 'tmdb'] }
  AND NOT EXISTS { (a)-[x:SIMILAR_TO {source: 'tmdb'}]-(b) WHERE x.score >= p.score }
CALL (a, b) {
  OPTIONAL MATCH (a)-[computed:SIMILAR_TO {source: 'computed'}]-(b)
  DELETE computed
}
MERGE (a)-[r:SIMILAR_TO {source: 'tmdb'}]->(b)
  ON CREATE SET r.created_at = datetime()
SET r.score = CASE WHEN r.score >= p.score THEN r.score ELSE p.score END,
    r.updated_at = datetime()
RETURN p.from AS from, p.to AS to
`

/** Franchise links from TMDB collections; an edge already there (of any source) is kept as it is. */
export const WRITE_FRANCHISE_EDGES = `
UNWIND $pairs AS p
MATCH (a:Movie {movie_id: p.from})
MATCH (b:Movie {movie_id: p.to})
WHERE NOT EXISTS { (a)-[:SAME_FRANCHISE]-(b) }
MERGE (a)-[r:SAME_FRANCHISE]->(b)
  ON CREATE SET r.source = 'tmdb', r.created_at = datetime(), r.updated_at = datetime()
RETURN p.from AS from, p.to AS to
`

/** Movies whose lists name movies not stored yet, flagged again if the flag was lost. */
export const SET_PENDING_LINKS = `
UNWIND $movie_ids AS id
MATCH (m:Movie {movie_id: id})
SET m.tmdb_links_pending = true
`

export const CLEAR_PENDING_LINKS = `
UNWIND $movie_ids AS id
MATCH (m:Movie {movie_id: id})
REMOVE m.tmdb_links_pending
`

/** Resolves the movies tweets name: by movie_id, by TMDB id, and `ml-<n>` also by MovieLens id. */
export const RESOLVE_TWEET_MOVIES = `
CALL () {
  UNWIND $movie_ids AS ref
  OPTIONAL MATCH (m:Movie {movie_id: ref})
  OPTIONAL MATCH (l:Movie {movielens_id: CASE WHEN ref =~ 'ml-[1-9][0-9]{0,9}' THEN toInteger(substring(ref, 3)) END})
  WITH ref, coalesce(m, l) AS found WHERE found IS NOT NULL
  RETURN 'movie_id' AS kind, ref AS ref, found.movie_id AS movie_id
  UNION ALL
  UNWIND $tmdb_ids AS ref
  MATCH (m:Movie {tmdb_id: ref})
  RETURN 'tmdb_id' AS kind, toString(ref) AS ref, m.movie_id AS movie_id
}
RETURN kind, ref, movie_id
`

/**
 * What is stored for the batch's tweets, to tell new, changed and unchanged rows apart. movie_id
 * is null unless the review has exactly one REVIEWS edge, so a review whose movie was deleted, or
 * that was linked to a second movie by hand, is written (and linked) again. The time
 * comes back as epoch milliseconds: a DateTime costs the driver far more to decode than a number.
 */
export const STORED_TWEETS = `
UNWIND $tweet_ids AS id
MATCH (r:Review {tweet_id: id})
RETURN r {
  .tweet_id, .content, .language, .sentiment_score, .sentiment_label,
  .reported_retweet_count, .like_count, .reply_count, .quote_count, .twitter_author_id,
  .in_reply_to_tweet_id, .quoted_tweet_id, .hashtags, .source,
  created_at_ms: r.created_at.epochMillis
} AS review,
CASE WHEN COUNT { (r)-[:REVIEWS]->() } = 1
     THEN head(COLLECT { MATCH (r)-[:REVIEWS]->(m:Movie) RETURN m.movie_id }) END AS movie_id
`

/** The retweets already counted on stored originals. */
export const COUNTED_RETWEETS = `
UNWIND $tweet_ids AS id
MATCH (r:Review {tweet_id: id})
RETURN id AS tweet_id, coalesce(r.retweet_ids, []) AS retweet_ids
`

/**
 * Tweet reviews keyed by tweet_id. A review is locked before its movie is read, so two importers
 * moving one review to another movie queue instead of both linking it. A review without exactly
 * one REVIEWS edge, to its movie, gets that edge alone; the movies it leaves and joins are marked
 * stale. retweet_count is the larger of Twitter's own figure and the retweets
 * this service has counted.
 */
export const WRITE_TWEET_REVIEWS = `
UNWIND $rows AS row
MATCH (m:Movie {movie_id: row.movie_id})
MERGE (r:Review {tweet_id: row.props.tweet_id})
  ON CREATE SET r.__created = true, r.review_id = row.review_id
WITH row, m, r, r.__created IS NOT NULL AS created
FOREACH (_ IN CASE WHEN created THEN [] ELSE [1] END | SET r._lock = true)
WITH row, m, r, COLLECT { MATCH (r)-[:REVIEWS]->(o) RETURN o } AS old
SET r += row.props,
    r.created_at = datetime(row.created_at),
    r.updated_at = ${NOW}
SET r.retweet_count = CASE WHEN size(coalesce(r.retweet_ids, [])) > r.reported_retweet_count
                           THEN size(r.retweet_ids) ELSE r.reported_retweet_count END
REMOVE r.__created, r._lock
WITH row, m, r, old
CALL (r, m, old) {
  WITH r, m, old WHERE NOT (size(old) = 1 AND old[0] = m)
  CALL (r) {
    MATCH (r)-[edge:REVIEWS]->()
    DELETE edge
  }
  CREATE (r)-[:REVIEWS]->(m)
}
WITH collect(m.movie_id) + reduce(ids = [], o IN collect(old) | ids + [x IN o WHERE x:Movie | x.movie_id])
     AS movie_ids
${markStale('reviews')}
RETURN size(movie_ids) AS touched
`

/**
 * Counts retweets on the stored original: each retweet id once, however often it is imported.
 * Rows come back for the originals found, with the ids counted for the first time.
 */
export const COUNT_RETWEETS = `
UNWIND $retweets AS rt
MATCH (r:Review {tweet_id: rt.of})
FOREACH (_ IN CASE WHEN any(x IN rt.ids WHERE NOT x IN coalesce(r.retweet_ids, [])) THEN [1] ELSE [] END |
  SET r._lock = true)
WITH r, rt, [x IN rt.ids WHERE NOT x IN coalesce(r.retweet_ids, [])] AS fresh
FOREACH (_ IN CASE WHEN size(fresh) > 0 THEN [1] ELSE [] END |
  SET r.reported_retweet_count = coalesce(r.reported_retweet_count, r.retweet_count, 0),
      r.retweet_ids = coalesce(r.retweet_ids, []) + fresh
  SET r.retweet_count = CASE WHEN size(r.retweet_ids) > r.reported_retweet_count
                             THEN size(r.retweet_ids) ELSE r.reported_retweet_count END
  REMOVE r._lock)
RETURN rt.of AS of, fresh
`
