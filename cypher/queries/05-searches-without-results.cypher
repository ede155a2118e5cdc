// Searches that found nothing
//
// What are people looking for that the catalogue does not have (or cannot find)? Lists the
// normalized queries whose searches returned no movie, most frequent first: candidates for new
// titles, alternative titles or spelling fixes.
//
// Parameters:
//   from   first instant counted (ISO-8601)
//   to     first instant no longer counted (ISO-8601)
//   limit  queries to return
:param { from: '2025-08-01T00:00:00Z', to: '2025-09-30T00:00:00Z', limit: 20 };

MATCH (s:Search)
WHERE datetime($from) <= s.searched_at < datetime($to) AND s.result_count = 0
OPTIONAL MATCH (u:User)-[:SEARCHED]->(s)
WITH s.normalized_query AS query,
     count(s) AS searches,
     count(DISTINCT u) AS users,
     min(s.searched_at) AS first_searched_at,
     max(s.searched_at) AS last_searched_at
RETURN query, searches, users, first_searched_at, last_searched_at
ORDER BY searches DESC, last_searched_at DESC, query
LIMIT toInteger($limit);
