// A movie's rating distribution
//
// How are a movie's ratings spread over the 0-10 scale? One row per whole point, 0 to 10, with
// the number of ratings in it (a 7.5 counts towards 7) and that number's share of all the movie's
// ratings. Empty buckets are included, so the rows always form the full scale.
//
// Parameters:
//   movieId  the movie's movie_id, e.g. 'tmdb-238'
:param { movieId: 'tmdb-238' };

MATCH (m:Movie {movie_id: $movieId})
OPTIONAL MATCH (m)<-[:RATES]-(r:Rating)
WITH m, collect(r.score) AS scores
UNWIND range(0, 10) AS bucket
WITH m, scores, bucket, size([s IN scores WHERE toInteger(floor(s)) = bucket]) AS ratings
RETURN m.movie_id AS movie_id,
       bucket,
       ratings,
       CASE WHEN size(scores) = 0 THEN 0.0 ELSE round(toFloat(ratings) / size(scores), 3) END AS share
ORDER BY bucket
LIMIT 11;
