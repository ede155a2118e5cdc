// Users with the most similar taste to a user
//
// Who rates movies most like a given user? For every other user with at least $minCommon movies
// rated by both, agreement is 1 - (mean absolute difference of their scores) / 10 on the 0-10
// scale: 1 means identical scores on every shared movie.
//
// Parameters:
//   userId     the user's user_id, e.g. 'demo-ana'
//   minCommon  fewest movies both must have rated
//   limit      users to return
:param { userId: 'demo-ana', minCommon: 5, limit: 10 };

MATCH (me:User {user_id: $userId})-[:GAVE]->(mine:Rating)-[:RATES]->(m:Movie)
MATCH (m)<-[:RATES]-(theirs:Rating)<-[:GAVE]-(other:User)
WHERE other <> me
WITH other, count(m) AS common, avg(abs(mine.score - theirs.score)) AS mean_difference
WHERE common >= $minCommon
RETURN other.user_id AS user_id,
       common,
       round(1 - mean_difference / 10, 3) AS agreement,
       round(mean_difference, 2) AS mean_difference
ORDER BY agreement DESC, common DESC, user_id
LIMIT toInteger($limit);
