// Uniqueness constraints: the keys every write path merges on.
// tweet_id is a STRING everywhere (tweet ids exceed 2^53); tmdb_id is an INTEGER.

CREATE CONSTRAINT movie_movie_id IF NOT EXISTS
FOR (m:Movie) REQUIRE m.movie_id IS UNIQUE;

CREATE CONSTRAINT movie_tmdb_id IF NOT EXISTS
FOR (m:Movie) REQUIRE m.tmdb_id IS UNIQUE;

CREATE CONSTRAINT movie_imdb_id IF NOT EXISTS
FOR (m:Movie) REQUIRE m.imdb_id IS UNIQUE;

CREATE CONSTRAINT genre_name IF NOT EXISTS
FOR (g:Genre) REQUIRE g.name IS UNIQUE;

CREATE CONSTRAINT review_review_id IF NOT EXISTS
FOR (r:Review) REQUIRE r.review_id IS UNIQUE;

CREATE CONSTRAINT review_tweet_id IF NOT EXISTS
FOR (r:Review) REQUIRE r.tweet_id IS UNIQUE;

CREATE CONSTRAINT rating_rating_id IF NOT EXISTS
FOR (r:Rating) REQUIRE r.rating_id IS UNIQUE;

CREATE CONSTRAINT search_search_id IF NOT EXISTS
FOR (s:Search) REQUIRE s.search_id IS UNIQUE;

CREATE CONSTRAINT user_user_id IF NOT EXISTS
FOR (u:User) REQUIRE u.user_id IS UNIQUE;
