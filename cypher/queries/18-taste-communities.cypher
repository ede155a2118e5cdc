// Communities of taste
//
// Which movies does the similarity data keep tying together? Links each movie to the movies its
// stored similar list names (written by `cinegraph similarity rebuild`) and to its explicit
// SIMILAR_TO neighbours, a pair weighted by its highest score, and runs Louvain community
// detection (Graph Data Science) over those undirected links. Each community comes with its size,
// its most-rated members and the genres most of its members have; movies without any link belong
// to no community.
//
// The links are projected into an in-memory graph named $graphName: a graph left under that name
// by an interrupted run is dropped first, and the graph is dropped again at the end, so runs at
// the same time need different names.
//
// Parameters:
//   graphName  name of the in-memory graph
//   movieIds   only these movies (by movie_id) and the links among them; [] for every movie
//   minSize    fewest members a community needs to be listed
//   members    most-rated members to show per community
//   limit      communities to return, largest first
:param { graphName: 'cinegraph-taste-communities', movieIds: [], minSize: 2, members: 5, limit: 20 };

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
WITH CASE WHEN m.movie_id < o.movie_id THEN m ELSE o END AS a,
     CASE WHEN m.movie_id < o.movie_id THEN o ELSE m END AS b,
     max(score) AS weight
WITH gds.graph.project($graphName, a, b, {relationshipProperties: {weight: weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
WHERE g IS NOT NULL
CALL gds.louvain.stream($graphName, {relationshipWeightProperty: 'weight', concurrency: 2})
YIELD nodeId, communityId
WITH communityId, gds.util.asNode(nodeId) AS movie
ORDER BY coalesce(movie.rating_count, 0) DESC, movie.movie_id
WITH communityId, collect(movie) AS movies
WHERE size(movies) >= $minSize
WITH movies,
     COLLECT {
       UNWIND movies AS member
       MATCH (member)-[:IN_GENRE]->(genre:Genre)
       WITH genre.name AS name, count(*) AS n
       ORDER BY n DESC, name
       LIMIT 3
       RETURN name
     } AS genres
ORDER BY size(movies) DESC, movies[0].movie_id
LIMIT toInteger($limit)
WITH collect({size: size(movies), shown: movies[0..toInteger($members)], genres: genres}) AS communities
CALL gds.graph.drop($graphName, false) YIELD graphName
UNWIND range(0, size(communities) - 1) AS i
WITH i + 1 AS community, communities[i] AS c
RETURN community,
       c.size AS size,
       [x IN c.shown | x.movie_id] AS top_movie_ids,
       [x IN c.shown | x.title] AS top_movies,
       c.genres AS top_genres
ORDER BY community
LIMIT toInteger($limit);
