// Recommendations from users with similar taste
//
// What might a user like that they have not rated yet? Finds the users whose scores agree with
// theirs (agreement as in 08-similar-taste-users, over at least $minCommon shared movies), then
// the movies those users scored $minScore or more that the user has not rated. Movies are ranked
// by the summed agreement of the users who recommend them.
//
// Parameters:
//   userId        the user's user_id, e.g. 'demo-ana'
//   minCommon     fewest shared movies for another user to count as a peer
//   minAgreement  lowest agreement (0..1) for a peer
//   minScore      lowest score a peer must have given a movie to recommend it
//   limit         movies to return
:param { userId: 'demo-ana', minCommon: 5, minAgreement: 0.95, minScore: 8, limit: 10 };

MATCH (me:User {user_id: $userId})-[:GAVE]->(mine:Rating)-[:RATES]->(m:Movie)
MATCH (m)<-[:RATES]-(theirs:Rating)<-[:GAVE]-(peer:User)
WHERE peer <> me
WITH me, peer, count(m) AS common, 1 - avg(abs(mine.score - theirs.score)) / 10 AS agreement
WHERE common >= $minCommon AND agreement >= $minAgreement
MATCH (peer)-[:GAVE]->(r:Rating)-[:RATES]->(candidate:Movie)
WHERE r.score >= $minScore AND NOT EXISTS { (me)-[:GAVE]->(:Rating)-[:RATES]->(candidate) }
WITH candidate, count(peer) AS recommenders, avg(r.score) AS peer_score, sum(agreement) AS weight
RETURN candidate.movie_id AS movie_id,
       candidate.title AS title,
       recommenders,
       round(peer_score, 2) AS peer_score,
       round(weight, 3) AS weight
ORDER BY weight DESC, peer_score DESC, movie_id
LIMIT toInteger($limit);
