// Tweet volume per movie, week by week
//
// How much are people tweeting about some movies, and when does the chatter peak? Counts the
// tweets about each movie per ISO week (weeks start on Monday, UTC) and adds up their retweets.
// Weeks without tweets are left out.
//
// Parameters:
//   movieIds  movie_ids to compare, e.g. ['tmdb-693134', 'tmdb-27205']
//   from      first instant counted (ISO-8601)
//   to        first instant no longer counted (ISO-8601)
//   limit     rows to return
:param { movieIds: ['tmdb-693134', 'tmdb-27205'], from: '2025-08-25T00:00:00Z', to: '2025-09-29T00:00:00Z', limit: 100 };

UNWIND $movieIds AS id
MATCH (m:Movie {movie_id: id})<-[:REVIEWS]-(t:Review {source: 'tweet'})
WHERE datetime($from) <= t.created_at < datetime($to)
WITH m, date.truncate('week', t.created_at) AS week, count(t) AS tweets, sum(t.retweet_count) AS retweets
RETURN m.movie_id AS movie_id,
       m.title AS title,
       toString(week) AS week,
       tweets,
       retweets
ORDER BY movie_id, week
LIMIT toInteger($limit);
