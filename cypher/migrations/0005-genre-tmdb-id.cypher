// A TMDB genre id names one genre. Checking for a holder before writing cannot stop two concurrent
// writers that both find none; the constraint does, and gives the lookup by id an index.
// A graph where two genres already share an id stops here, naming them: give one of them another
// id (or none) and start again.

CREATE CONSTRAINT genre_tmdb_genre_id IF NOT EXISTS
FOR (g:Genre) REQUIRE g.tmdb_genre_id IS UNIQUE;
