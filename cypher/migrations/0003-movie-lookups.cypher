// Lookups added with the movie API and the importers: case-insensitive title sort and prefix
// search run on title_lower; MovieLens exports match movies by their MovieLens id.

CREATE INDEX movie_title_lower IF NOT EXISTS FOR (m:Movie) ON (m.title_lower);

CREATE CONSTRAINT movie_movielens_id IF NOT EXISTS
FOR (m:Movie) REQUIRE m.movielens_id IS UNIQUE;
