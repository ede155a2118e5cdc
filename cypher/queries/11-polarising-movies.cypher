// The most polarising movies
//
// Which movies split their audience? Ranks movies by the spread (population standard deviation)
// of their ratings and shows how many ratings sit at each end of the scale. A movie with a middling
// mean can be loved by half its viewers and hated by the other half.
//
// Parameters:
//   minRatings  fewest ratings a movie needs
//   limit       movies to return, widest spread first
:param { minRatings: 8, limit: 10 };

MATCH (m:Movie)
WHERE m.rating_count >= $minRatings
MATCH (m)<-[:RATES]-(r:Rating)
WITH m,
     count(r) AS ratings,
     stDevP(r.score) AS spread,
     count(CASE WHEN r.score <= 4 THEN 1 END) AS low,
     count(CASE WHEN r.score >= 8 THEN 1 END) AS high
RETURN m.movie_id AS movie_id,
       m.title AS title,
       ratings,
       round(m.rating_mean, 2) AS rating_mean,
       round(spread, 2) AS rating_stdev,
       low AS ratings_4_or_below,
       high AS ratings_8_or_above
ORDER BY spread DESC, movie_id
LIMIT toInteger($limit);
