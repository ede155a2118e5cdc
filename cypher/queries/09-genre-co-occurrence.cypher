// Genres that occur together
//
// Which pairs of genres are most often given to the same movie? Each unordered pair is counted
// once per movie; pairs on fewer than $minMovies movies are left out.
//
// Parameters:
//   minMovies  fewest movies a pair must share
//   limit      pairs to return
:param { minMovies: 3, limit: 15 };

MATCH (a:Genre)<-[:IN_GENRE]-(m:Movie)-[:IN_GENRE]->(b:Genre)
WHERE a.name < b.name
WITH a.name AS genre_a, b.name AS genre_b, count(m) AS movies
WHERE movies >= $minMovies
RETURN genre_a, genre_b, movies
ORDER BY movies DESC, genre_a, genre_b
LIMIT toInteger($limit);
