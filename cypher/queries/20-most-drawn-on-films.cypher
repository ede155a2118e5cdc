// The films most drawn on
//
// Which films have the most later works built on them, directly or down a chain? Follows the
// directed SEQUEL_OF, REMAKE_OF, SPINOFF_OF and INSPIRED_BY edges of the types asked for (newer
// film to the film it draws on) and ranks films by PageRank (Graph Data Science): a film gains
// from every work that draws on it, and more when those works are drawn on in turn, so the first
// film of a long series outranks its sequels. Lists only films with at least one such work, with
// the number that draw on them directly.
//
// The edges are projected into an in-memory graph named $graphName: a graph left under that name
// by an interrupted run is dropped first, and the graph is dropped again at the end, so runs at
// the same time need different names.
//
// Parameters:
//   graphName  name of the in-memory graph
//   movieIds   only these movies (by movie_id) and the links among them; [] for every movie
//   types      edge types to follow, any of 'SEQUEL_OF', 'REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY'
//   limit      films to return, most drawn on first
:param { graphName: 'cinegraph-most-drawn-on', movieIds: [], types: ['SEQUEL_OF', 'REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY'], limit: 20 };

CALL () {
  CALL gds.graph.drop($graphName, false) YIELD graphName
  RETURN count(graphName) AS stale
}
MATCH (newer:Movie)-[r:SEQUEL_OF|REMAKE_OF|SPINOFF_OF|INSPIRED_BY]->(source:Movie)
WHERE type(r) IN $types AND newer <> source
  AND (size($movieIds) = 0 OR newer.movie_id IN $movieIds AND source.movie_id IN $movieIds)
WITH DISTINCT newer, source
WITH gds.graph.project($graphName, newer, source) AS g
WHERE g IS NOT NULL
CALL gds.pageRank.stream($graphName, {concurrency: 2})
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS movie, score
WITH movie, score,
     COUNT {
       MATCH (newer:Movie)-[r:SEQUEL_OF|REMAKE_OF|SPINOFF_OF|INSPIRED_BY]->(movie)
       WHERE type(r) IN $types AND newer <> movie
         AND (size($movieIds) = 0 OR newer.movie_id IN $movieIds)
       RETURN DISTINCT newer
     } AS drawn_on_by
WHERE drawn_on_by > 0
ORDER BY score DESC, drawn_on_by DESC, movie.movie_id
LIMIT toInteger($limit)
WITH collect({movie: movie, score: score, drawn_on_by: drawn_on_by}) AS ranked
CALL gds.graph.drop($graphName, false) YIELD graphName
UNWIND range(0, size(ranked) - 1) AS i
WITH i + 1 AS rank, ranked[i] AS row
RETURN rank,
       row.movie.movie_id AS movie_id,
       row.movie.title AS title,
       row.movie.year AS year,
       round(row.score, 4) AS score,
       row.drawn_on_by AS drawn_on_by
ORDER BY rank
LIMIT toInteger($limit);
