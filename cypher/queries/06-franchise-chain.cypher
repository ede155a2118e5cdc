// A franchise chain, in order
//
// Which films make up the sequel chain a movie belongs to, from first to last? Follows SEQUEL_OF
// edges (stored from the newer film to the one it continues) back to the first film, then forward
// again, numbering each film by its distance from the first. Chains longer than 20 films are cut.
//
// Parameters:
//   movieId  movie_id of any film in the chain, e.g. 'tmdb-240'
//   limit    films to return
:param { movieId: 'tmdb-240', limit: 25 };

MATCH (:Movie {movie_id: $movieId})-[:SEQUEL_OF*0..20]->(first:Movie)
WHERE NOT EXISTS { (first)-[:SEQUEL_OF]->(:Movie) }
WITH DISTINCT first
MATCH chain = (first)<-[:SEQUEL_OF*0..20]-(film:Movie)
WITH film, min(length(chain)) + 1 AS position
RETURN position,
       film.movie_id AS movie_id,
       film.title AS title,
       film.year AS year,
       round(film.rating_mean, 2) AS rating_mean
ORDER BY position, film.release_date, movie_id
LIMIT toInteger($limit);
