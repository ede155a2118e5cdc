/**
 * The most popular movies of a genre, shared by similarity and recommendations. A few genres
 * hold a large share of the catalogue, and ranking such a genre by reading every member costs
 * its size on every request. Walking the popularity index from the top and keeping the genre's
 * members costs about $max_per_genre × movies / members instead, which is far less for a big
 * genre and far more for a small one, so the walk is taken only where it wins by a margin.
 */

/** How much cheaper the index walk must look before it replaces reading the members. */
const INDEX_WALK_MARGIN = 4

/**
 * Cypher for the body of a `CALL (${vars}) { ... }` that returns `c`: the $max_per_genre movies
 * of genre `g` passing `keep`, by popularity (missing counts as 0) then movie_id. Both ways give
 * the same rows. The walk keeps only popularity > 0, so when it comes up short (a genre of
 * movies without popularity, as after a MovieLens-only import) the members are read instead.
 * `vars` must name `g` and every variable `keep` reads. `walkAllowed` is a Cypher condition
 * that can rule the walk out: the estimate above assumes `keep` passes most movies, and a `keep`
 * that passes only a few makes the walk read far more of the index before it finds enough.
 *
 * A null floor is how the walk is switched off: a range seek above null finds nothing, wherever
 * the planner places it. The hint asks for a seek, because a scan of the index would read it
 * whatever the floor, and with small statistics the planner sometimes prefers one.
 */
export function popularGenreMates(vars: string, keep: string, walkAllowed = 'true'): string {
  return `
    WITH ${vars},
         CASE WHEN ${walkAllowed}
                   AND COUNT { (g)<-[:IN_GENRE]-() } ^ 2 > ${INDEX_WALK_MARGIN} * $max_per_genre * COUNT { (:Movie) }
              THEN 0.0 END AS popularity_floor
    WITH ${vars},
         COLLECT {
           MATCH (c:Movie)
           USING INDEX SEEK c:Movie(popularity)
           WHERE c.popularity > popularity_floor AND (c)-[:IN_GENRE]->(g) AND ${keep}
           RETURN c
           ORDER BY c.popularity DESC, c.movie_id
           LIMIT $max_per_genre
         } AS walked
    CALL (${vars}, walked) {
        WITH walked WHERE size(walked) = $max_per_genre
        UNWIND walked AS c
        RETURN c
      UNION ALL
        WITH ${vars}, walked WHERE size(walked) < $max_per_genre
        MATCH (g)<-[:IN_GENRE]-(c:Movie)
        WHERE ${keep}
        RETURN c
        ORDER BY coalesce(c.popularity, 0.0) DESC, c.movie_id
        LIMIT $max_per_genre
    }
    RETURN c`
}
