// Movies whose ratings and review sentiment disagree most
//
// Where do the scores people give and the words they write point in different directions? Both
// are normalised to 0..1: the mean rating divided by 10, and the mean sentiment mapped from
// -1..1 onto 0..1. A positive gap means rated higher than it is talked about. Only movies with
// enough ratings and reviews for the means to say something are compared.
//
// Parameters:
//   minRatings  fewest ratings a movie needs
//   minReviews  fewest reviews a movie needs
//   limit       movies to return, largest gap first
:param { minRatings: 5, minReviews: 3, limit: 10 };

MATCH (m:Movie)
WHERE m.rating_count >= $minRatings AND m.review_count >= $minReviews
WITH m, m.rating_mean / 10 AS rating_normalized, (m.sentiment_mean + 1) / 2 AS sentiment_normalized
RETURN m.movie_id AS movie_id,
       m.title AS title,
       round(rating_normalized, 3) AS rating_normalized,
       round(sentiment_normalized, 3) AS sentiment_normalized,
       round(rating_normalized - sentiment_normalized, 3) AS gap,
       m.rating_count AS ratings,
       m.review_count AS reviews
ORDER BY abs(rating_normalized - sentiment_normalized) DESC, movie_id
LIMIT toInteger($limit);
