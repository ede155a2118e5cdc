// Remakes, spin-offs and what inspired them
//
// Which films were remade, spun off or drawn on by later films, and how far apart in time? Lists
// the directed REMAKE_OF, SPINOFF_OF and INSPIRED_BY edges (newer film to the original) of the
// types asked for, with both films' years and mean ratings, longest gap first within each type.
//
// Parameters:
//   types  edge types to include, any of 'REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY'
//   limit  pairs to return
:param { types: ['REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY'], limit: 100 };

MATCH (newer:Movie)-[r:REMAKE_OF|SPINOFF_OF|INSPIRED_BY]->(source:Movie)
WHERE type(r) IN $types
WITH type(r) AS relationship, newer, source, newer.year - source.year AS years_between
RETURN relationship,
       newer.movie_id AS movie_id,
       newer.title AS title,
       newer.year AS year,
       source.movie_id AS source_id,
       source.title AS source_title,
       source.year AS source_year,
       years_between,
       round(newer.rating_mean, 2) AS rating_mean,
       round(source.rating_mean, 2) AS source_rating_mean
ORDER BY relationship, coalesce(years_between, -1) DESC, movie_id
LIMIT toInteger($limit);
