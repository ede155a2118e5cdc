// The neighbourhood of a movie, up to two hops
//
// Which movies are connected to a movie through typed movie-to-movie edges (similar, same
// franchise, sequel, remake, spin-off, inspired by), directly or through one other movie? Each
// neighbour appears once, at its shortest distance, with the edge types of one shortest path and
// the film it passes through.
//
// Parameters:
//   movieId  the movie's movie_id, e.g. 'tmdb-603'
//   limit    neighbours to return, nearest first
:param { movieId: 'tmdb-603', limit: 50 };

MATCH (m:Movie {movie_id: $movieId})
MATCH p = (m)-[:SIMILAR_TO|SAME_FRANCHISE|SEQUEL_OF|REMAKE_OF|SPINOFF_OF|INSPIRED_BY*1..2]-(other:Movie)
WHERE other <> m
WITH other, p
ORDER BY length(p), [n IN nodes(p) | n.movie_id]
WITH other, collect(p)[0] AS p
RETURN other.movie_id AS movie_id,
       other.title AS title,
       other.year AS year,
       length(p) AS hops,
       [r IN relationships(p) | type(r)] AS via,
       [n IN nodes(p)[1..-1] | n.title] AS through
ORDER BY hops, title, movie_id
LIMIT toInteger($limit);
