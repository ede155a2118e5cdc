// A user's genre preferences
//
// Which genres does a user rate above or below their own average? For each genre of the movies
// the user rated: how many ratings, their mean score, and how far that mean sits from the user's
// mean over all their ratings. A movie with several genres counts towards each of them.
//
// Parameters:
//   userId      the user's user_id, e.g. 'demo-ana'
//   minRatings  fewest ratings in a genre for it to be listed
//   limit       genres to return, best liked first
:param { userId: 'demo-ana', minRatings: 5, limit: 10 };

MATCH (u:User {user_id: $userId})-[:GAVE]->(r:Rating)
WITH u, avg(r.score) AS overall
MATCH (u)-[:GAVE]->(r:Rating)-[:RATES]->(:Movie)-[:IN_GENRE]->(g:Genre)
WITH g, overall, count(r) AS ratings, avg(r.score) AS mean_score
WHERE ratings >= $minRatings
RETURN g.name AS genre,
       ratings,
       round(mean_score, 2) AS mean_score,
       round(mean_score - overall, 2) AS versus_overall
ORDER BY mean_score DESC, ratings DESC, genre
LIMIT toInteger($limit);
