// Review sentiment of a movie, month by month
//
// How did the tone of what people write about a movie change over time? Reviews from every
// source (tweets, TMDB reviews, reviews written in the app) are grouped by the UTC calendar month
// they were written in. Sentiment scores run from -1 (negative) to 1 (positive).
//
// Parameters:
//   movieId  the movie's movie_id, e.g. 'tmdb-475557'
//   from     first instant counted (ISO-8601)
//   to       first instant no longer counted (ISO-8601)
//   limit    months to return, oldest first
:param { movieId: 'tmdb-475557', from: '2025-01-01T00:00:00Z', to: '2025-10-01T00:00:00Z', limit: 24 };

MATCH (m:Movie {movie_id: $movieId})<-[:REVIEWS]-(r:Review)
WHERE datetime($from) <= r.created_at < datetime($to)
WITH m, date.truncate('month', r.created_at) AS month, r
WITH m, month,
     count(r) AS reviews,
     count(CASE WHEN r.sentiment_label = 'positive' THEN 1 END) AS positive,
     count(CASE WHEN r.sentiment_label = 'negative' THEN 1 END) AS negative,
     avg(r.sentiment_score) AS mean_sentiment
RETURN m.movie_id AS movie_id,
       substring(toString(month), 0, 7) AS month,
       reviews,
       positive,
       negative,
       round(mean_sentiment, 3) AS mean_sentiment
ORDER BY month
LIMIT toInteger($limit);
