// Searches that led to a choice
//
// For the queries people repeat, how often did a search end with a movie picked from its results,
// and which movie was picked most? Only searches that returned something count; queries with
// fewer than $minSearches such searches in the window are left out.
//
// Parameters:
//   from         first instant counted (ISO-8601)
//   to           first instant no longer counted (ISO-8601)
//   minSearches  fewest searches a query needs
//   limit        queries to return
:param { from: '2025-08-01T00:00:00Z', to: '2025-09-30T00:00:00Z', minSearches: 2, limit: 15 };

MATCH (s:Search)
WHERE datetime($from) <= s.searched_at < datetime($to) AND s.result_count > 0
WITH s.normalized_query AS query, collect(s) AS searches
WHERE size(searches) >= $minSearches
WITH query, searches,
     size([s IN searches WHERE EXISTS { (s)-[:SELECTED]->(:Movie) }]) AS with_selection,
     head(COLLECT {
       UNWIND searches AS s
       MATCH (s)-[:SELECTED]->(chosen:Movie)
       WITH chosen, count(*) AS times
       RETURN chosen.title
       ORDER BY times DESC, chosen.title
       LIMIT 1
     }) AS most_selected
RETURN query,
       size(searches) AS searches,
       with_selection,
       round(toFloat(with_selection) / size(searches), 2) AS conversion,
       most_selected
ORDER BY searches DESC, conversion DESC, query
LIMIT toInteger($limit);
