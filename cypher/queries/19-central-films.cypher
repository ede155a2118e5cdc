// The most central films of the similarity graph
//
// Which movies sit at the centre of what the catalogue counts as similar? Each movie points to the
// movies its stored similar list names (written by `cinegraph similarity rebuild`) and to its
// explicit SIMILAR_TO neighbours, weighted by the score, and PageRank (Graph Data Science) over
// those links ranks a movie high when many movies name it, above all movies that are central
// themselves. Ratings do not enter the score: compare it with the rating count to tell a hub of
// taste from a merely popular film.
//
// The links are projected into an in-memory graph named $graphName: a graph left under that name
// by an interrupted run is dropped first, and the graph is dropped again at the end, so runs at
// the same time need different names.
//
// Parameters:
//   graphName  name of the in-memory graph
//   movieIds   only these movies (by movie_id) and the links among them; [] for every movie
//   limit      movies to return, most central first
:param { graphName: 'cinegraph-central-films', movieIds: [], limit: 20 };

CALL () {
  CALL gds.graph.drop($graphName, false) YIELD graphName
  RETURN count(graphName) AS stale
}
MATCH (m:Movie)
WHERE size($movieIds) = 0 OR m.movie_id IN $movieIds
CALL (m) {
    UNWIND range(0, size(coalesce(m.similar_ids, [])) - 1) AS i
    MATCH (o:Movie {movie_id: m.similar_ids[i]})
    RETURN o, m.similar_scores[i] AS score
  UNION ALL
    MATCH (m)-[e:SIMILAR_TO]-(o:Movie)
    WHERE coalesce(e.source, '') <> 'computed'
    RETURN o, coalesce(e.score, 1.0) AS score
}
WITH m, o, score
WHERE o <> m AND (size($movieIds) = 0 OR o.movie_id IN $movieIds) AND score > 0
WITH m, o, max(score) AS weight
WITH gds.graph.project($graphName, m, o, {relationshipProperties: {weight: weight}}) AS g
WHERE g IS NOT NULL
CALL gds.pageRank.stream($graphName, {relationshipWeightProperty: 'weight', concurrency: 2})
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS movie, score
ORDER BY score DESC, movie.movie_id
LIMIT toInteger($limit)
WITH collect({movie: movie, score: score}) AS ranked
CALL gds.graph.drop($graphName, false) YIELD graphName
UNWIND range(0, size(ranked) - 1) AS i
WITH i + 1 AS rank, ranked[i].movie AS movie, ranked[i].score AS score
RETURN rank,
       movie.movie_id AS movie_id,
       movie.title AS title,
       movie.year AS year,
       round(score, 4) AS score,
       coalesce(movie.rating_count, 0) AS rating_count
ORDER BY rank
LIMIT toInteger($limit);
