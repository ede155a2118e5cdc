// Sequels rated higher or lower than the film they continue
//
// Did the sequel live up to its predecessor? Compares the mean rating of each film with the film
// it is a SEQUEL_OF, best improvement first. Both films need at least $minRatings ratings.
//
// Parameters:
//   minRatings  fewest ratings each of the two films needs
//   limit       pairs to return
:param { minRatings: 3, limit: 25 };

MATCH (sequel:Movie)-[:SEQUEL_OF]->(original:Movie)
WHERE sequel.rating_count >= $minRatings AND original.rating_count >= $minRatings
WITH sequel, original, sequel.rating_mean - original.rating_mean AS difference
RETURN sequel.movie_id AS sequel_id,
       sequel.title AS sequel,
       original.movie_id AS original_id,
       original.title AS original,
       round(original.rating_mean, 2) AS original_rating,
       round(sequel.rating_mean, 2) AS sequel_rating,
       round(difference, 2) AS difference,
       CASE WHEN difference > 0 THEN 'higher' WHEN difference < 0 THEN 'lower' ELSE 'same' END AS verdict
ORDER BY difference DESC, sequel_id
LIMIT toInteger($limit);
