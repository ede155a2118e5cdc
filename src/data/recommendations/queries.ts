/**
 * Cypher for recommendations. The personal query starts from what the user liked and fans out
 * through other fans and genres, every fan-out capped by a parameter; the cold-start queries only
 * read the user's searches and ranked slices of the catalogue.
 */
import { relationshipTypeToken } from '../../domain/relationship-types.js'
import { popularGenreMates } from '../genres/genre-mates.js'

const SIMILAR_TO = relationshipTypeToken('SIMILAR_TO')

/**
 * Personal recommendations, or no row when the user liked nothing (score ≥ $high_rating).
 *
 * Seeds: the user's $max_liked most recent liked movies. Parts, each in 0..1:
 * - collaborative: neighbours are fans of the seeds (≤ $max_raters_per_movie most recent per
 *   seed), kept by how many seeds they liked too (≤ $max_neighbours); the part is the overlap of
 *   the neighbours who liked the movie over the overlap of all neighbours;
 * - genre: the share of the seeds' genre mentions that the movie's genres cover;
 * - similar: the best score from a seed, in the seed's stored similar list (see
 *   `cinegraph similarity rebuild`) or on an explicit SIMILAR_TO edge.
 * score = Σ weight × part / Σ weight of the parts the user has any signal for. Everything the user
 * rated, liked or not, is left out.
 */
export const PERSONAL_RECOMMENDATIONS = `
MATCH (u:User {user_id: $user_id})
WITH u,
     COLLECT { MATCH (u)-[:GAVE]->(:Rating)-[:RATES]->(x:Movie) RETURN x } AS rated,
     COLLECT {
       MATCH (u)-[:GAVE]->(r:Rating)-[:RATES]->(x:Movie)
       WHERE r.score >= $high_rating
       WITH x, r ORDER BY r.rated_at DESC, x.movie_id
       LIMIT $max_liked
       RETURN x
     } AS liked
WHERE size(liked) > 0
CALL (liked) {
  UNWIND liked AS x
  MATCH (x)-[:IN_GENRE]->(g:Genre)
  WITH g, count(*) AS n
  WITH collect({g: g, n: n}) AS counted, sum(n) AS mentions
  RETURN [row IN counted | {g: row.g, share: toFloat(row.n) / mentions}] AS profile
}
CALL (u, liked) {
  UNWIND liked AS x
  CALL (u, x) {
    MATCH (x)<-[:RATES]-(r:Rating)<-[:GAVE]-(n:User)
    WHERE r.score >= $high_rating AND n <> u
    RETURN n
    ORDER BY r.rated_at DESC, n.user_id
    LIMIT $max_raters_per_movie
  }
  WITH n, count(*) AS overlap
  ORDER BY overlap DESC, n.user_id
  LIMIT $max_neighbours
  RETURN collect({n: n, overlap: overlap}) AS neighbours, sum(overlap) AS total_overlap
}
WITH u, rated, liked, profile, neighbours, total_overlap,
     any(x IN liked WHERE size(coalesce(x.similar_ids, [])) > 0 OR EXISTS { (x)-[:${SIMILAR_TO}]-(:Movie) })
       AS has_similar
CALL (rated, liked, profile, neighbours) {
    UNWIND neighbours AS nb
    WITH nb.n AS n, nb.overlap AS overlap, rated
    CALL (n, rated) {
      MATCH (n)-[:GAVE]->(r:Rating)-[:RATES]->(c:Movie)
      WHERE r.score >= $high_rating AND NOT c IN rated
      RETURN c
      ORDER BY r.rated_at DESC, c.movie_id
      LIMIT $max_ratings_per_neighbour
    }
    RETURN c, sum(overlap) AS agree, count(*) AS fans, null AS similar, null AS via
  UNION ALL
    UNWIND profile AS entry
    WITH entry.g AS g, rated
    CALL (g, rated) {${popularGenreMates('g, rated', 'NOT c IN rated')}
    }
    RETURN c, 0 AS agree, 0 AS fans, null AS similar, null AS via
  UNION ALL
    UNWIND liked AS x
    CALL (x, rated) {
      CALL (x, rated) {
          UNWIND range(0, size(coalesce(x.similar_ids, [])) - 1) AS i
          MATCH (c:Movie {movie_id: x.similar_ids[i]})
          WHERE NOT c IN rated
          RETURN c, x.similar_scores[i] AS s
        UNION
          MATCH (x)-[e:${SIMILAR_TO}]-(c:Movie)
          WHERE coalesce(e.source, '') <> 'computed' AND NOT c IN rated
          RETURN c, coalesce(e.score, 1.0) AS s
      }
      WITH c, max(s) AS s
      RETURN c, s
      ORDER BY s DESC, c.movie_id
      LIMIT $max_per_genre
    }
    WITH c, x, s ORDER BY s DESC, x.movie_id
    WITH c, collect({x: x, s: s})[0] AS best
    RETURN c, 0 AS agree, 0 AS fans, best.s AS similar, best.x AS via
}
WITH profile, total_overlap, has_similar, c,
     sum(agree) AS agree, sum(fans) AS fans, max(similar) AS similar, head(collect(via)) AS via
WITH c, agree, fans, via, has_similar, total_overlap, similar, profile,
     COLLECT { MATCH (c)-[:IN_GENRE]->(g:Genre) RETURN g } AS c_genres
WITH c, agree, fans, via, has_similar, total_overlap, similar,
     [entry IN profile WHERE entry.g IN c_genres] AS matched,
     size(profile) > 0 AS has_genre
WITH c, fans, via, matched,
     CASE WHEN total_overlap > 0 THEN toFloat(agree) / total_overlap END AS collaborative_part,
     CASE WHEN has_genre THEN reduce(s = 0.0, entry IN matched | s + entry.share) END AS genre_part,
     CASE WHEN has_similar THEN coalesce(similar, 0.0) END AS similar_part
WITH c, fans, via, matched, collaborative_part, genre_part, similar_part,
     coalesce($weights.collaborative * collaborative_part, 0.0)
       + coalesce($weights.genre * genre_part, 0.0)
       + coalesce($weights.similar * similar_part, 0.0) AS weighted,
     CASE WHEN collaborative_part IS NULL THEN 0.0 ELSE $weights.collaborative END
       + CASE WHEN genre_part IS NULL THEN 0.0 ELSE $weights.genre END
       + CASE WHEN similar_part IS NULL THEN 0.0 ELSE $weights.similar END AS used
WITH c, fans, via, matched, collaborative_part, genre_part, similar_part,
     CASE WHEN used = 0 THEN 0.0 ELSE weighted / used END AS score
WHERE score > 0
RETURN c {.movie_id, .title, .year} AS movie,
       score,
       {collaborative: collaborative_part, genre: genre_part, similar: similar_part} AS parts,
       fans,
       [entry IN matched | entry.g.name] AS genres,
       CASE WHEN via IS NULL THEN null ELSE via {.movie_id, .title, .year} END AS via
ORDER BY score DESC, movie.movie_id
LIMIT $limit
`

/**
 * What the user rated (left out of every list) and how many of those they liked; no row for an
 * unknown user.
 */
export const USER_RATING_SIGNALS = `
MATCH (u:User {user_id: $user_id})
RETURN COLLECT { MATCH (u)-[:GAVE]->(:Rating)-[:RATES]->(x:Movie) RETURN x.movie_id } AS rated,
       COUNT { MATCH (u)-[:GAVE]->(r:Rating)-[:RATES]->(:Movie) WHERE r.score >= $high_rating } AS liked
`

/**
 * The user's recent searches: their filters (a JSON string) and the genres of the movies they
 * returned and of the ones the user selected.
 */
export const SEARCH_SIGNALS = `
MATCH (:User {user_id: $user_id})-[:SEARCHED]->(s:Search)
WITH s ORDER BY s.searched_at DESC, s.search_id
LIMIT $max_searches
RETURN s.filters AS filters,
       COLLECT { MATCH (s)-[:SELECTED]->(:Movie)-[:IN_GENRE]->(g:Genre) RETURN g.name } AS selected_genres,
       COLLECT { MATCH (s)-[:RETURNED]->(:Movie)-[:IN_GENRE]->(g:Genre) RETURN g.name } AS returned_genres
`

/**
 * Well-rated then popular movies of the given genres (names compared case-insensitively, as
 * search filters are): at least $min_rating_count ratings by mean rating, then the rest by
 * popularity.
 */
export const POPULAR_IN_GENRES = `
MATCH (g:Genre)
WHERE toLower(g.name) IN $genres
CALL (g) {
  MATCH (g)<-[:IN_GENRE]-(c:Movie)
  WHERE NOT c.movie_id IN $exclude
  RETURN c
  ORDER BY CASE WHEN c.rating_count >= $min_rating_count AND c.rating_mean IS NOT NULL THEN 0 ELSE 1 END,
           coalesce(c.rating_mean, 0.0) DESC, coalesce(c.popularity, 0.0) DESC, c.movie_id
  LIMIT $limit
}
WITH c, collect(g.name) AS genres
RETURN c {.movie_id, .title, .year, .rating_mean, .rating_count, .popularity} AS movie, genres
`

/** Well-rated movies overall (at least $min_rating_count ratings), by mean rating. */
export const WELL_RATED_OVERALL = `
MATCH (c:Movie)
WHERE c.rating_count >= $min_rating_count AND c.rating_count > 0 AND c.rating_mean IS NOT NULL
  AND NOT c.movie_id IN $exclude
RETURN c {.movie_id, .title, .year, .rating_mean, .rating_count, .popularity} AS movie, [] AS genres
ORDER BY c.rating_mean DESC, coalesce(c.popularity, 0.0) DESC, c.movie_id
LIMIT $limit
`

/** Popular movies overall. */
export const POPULAR_OVERALL = `
MATCH (c:Movie)
WHERE c.popularity IS NOT NULL AND NOT c.movie_id IN $exclude
RETURN c {.movie_id, .title, .year, .rating_mean, .rating_count, .popularity} AS movie, [] AS genres
ORDER BY c.popularity DESC, c.movie_id
LIMIT $limit
`
