// Full-text search over titles, and range indexes on what the API filters and sorts on.

CREATE FULLTEXT INDEX movie_title_fulltext IF NOT EXISTS
FOR (m:Movie) ON EACH [m.title, m.original_title];

CREATE INDEX movie_year IF NOT EXISTS FOR (m:Movie) ON (m.year);
CREATE INDEX movie_release_date IF NOT EXISTS FOR (m:Movie) ON (m.release_date);
CREATE INDEX movie_title IF NOT EXISTS FOR (m:Movie) ON (m.title);
CREATE INDEX movie_popularity IF NOT EXISTS FOR (m:Movie) ON (m.popularity);
CREATE INDEX movie_created_at IF NOT EXISTS FOR (m:Movie) ON (m.created_at);
CREATE INDEX movie_rating_mean IF NOT EXISTS FOR (m:Movie) ON (m.rating_mean);
CREATE INDEX movie_rating_count IF NOT EXISTS FOR (m:Movie) ON (m.rating_count);
CREATE INDEX review_created_at IF NOT EXISTS FOR (r:Review) ON (r.created_at);
CREATE INDEX review_source IF NOT EXISTS FOR (r:Review) ON (r.source);
CREATE INDEX rating_rated_at IF NOT EXISTS FOR (r:Rating) ON (r.rated_at);
CREATE INDEX search_searched_at IF NOT EXISTS FOR (s:Search) ON (s.searched_at);
CREATE INDEX search_normalized_query IF NOT EXISTS FOR (s:Search) ON (s.normalized_query);
