// MovieLens lists a movie's other names ("a.k.a. Se7en") beside its title; they are kept as
// aka_titles (a list of strings) and searched with the titles. A full-text index cannot gain a
// property in place, so it is made again under the same name, and the migration waits until it
// is populated so that searches never meet it half built.
DROP INDEX movie_title_fulltext IF EXISTS;

CREATE FULLTEXT INDEX movie_title_fulltext IF NOT EXISTS
FOR (m:Movie) ON EACH [m.title, m.original_title, m.aka_titles];

CALL db.awaitIndex('movie_title_fulltext', 600);
