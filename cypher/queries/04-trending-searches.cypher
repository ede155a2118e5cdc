// Trending searches in a time window
//
// What did people search for most in a window? Searches are grouped by their normalized text
// (case, accents and repeated spaces folded), so 'Dune Part Two' and 'dune  part two' count as
// one query. Also tells how many of those searches found nothing and how many distinct users
// made them (anonymous searches count towards searches only).
//
// Parameters:
//   from   first instant counted (ISO-8601)
//   to     first instant no longer counted (ISO-8601)
//   limit  queries to return
:param { from: '2025-09-16T00:00:00Z', to: '2025-09-30T00:00:00Z', limit: 10 };

MATCH (s:Search)
WHERE datetime($from) <= s.searched_at < datetime($to)
OPTIONAL MATCH (u:User)-[:SEARCHED]->(s)
WITH s.normalized_query AS query,
     count(s) AS searches,
     count(CASE WHEN s.result_count = 0 THEN 1 END) AS without_results,
     count(DISTINCT u) AS users,
     max(s.searched_at) AS last_searched_at
RETURN query, searches, without_results, users, last_searched_at
ORDER BY searches DESC, last_searched_at DESC, query
LIMIT toInteger($limit);
