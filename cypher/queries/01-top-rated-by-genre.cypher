// Top rated movies in a genre
//
// Which movies of one genre have the best mean rating? Only movies with at least $minRatings
// ratings are ranked, so one enthusiastic rating cannot put an obscure film on top. Reads the
// rating aggregates kept on each movie; ties go to the movie with more ratings.
//
// Parameters:
//   genre       genre name as stored, e.g. 'Science Fiction'
//   minRatings  fewest ratings a movie needs to be ranked
//   limit       rows to return
:param { genre: 'Science Fiction', minRatings: 5, limit: 10 };

MATCH (:Genre {name: $genre})<-[:IN_GENRE]-(m:Movie)
WHERE m.rating_count >= $minRatings
RETURN m.movie_id AS movie_id,
       m.title AS title,
       m.year AS year,
       round(m.rating_mean, 2) AS rating_mean,
       m.rating_count AS rating_count
ORDER BY m.rating_mean DESC, m.rating_count DESC, m.movie_id
LIMIT toInteger($limit);
