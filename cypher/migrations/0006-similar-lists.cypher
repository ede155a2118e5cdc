// Similar-movie lists are stored on each movie by `cinegraph similarity rebuild`. A refresh
// (`--since`) finds the movies whose evidence changed through these indexes, each branch a seek.
CREATE INDEX rating_updated_at IF NOT EXISTS FOR (r:Rating) ON (r.updated_at);
CREATE INDEX review_updated_at IF NOT EXISTS FOR (r:Review) ON (r.updated_at);
CREATE INDEX movie_updated_at IF NOT EXISTS FOR (m:Movie) ON (m.updated_at);
CREATE INDEX similar_to_updated_at IF NOT EXISTS FOR ()-[e:SIMILAR_TO]-() ON (e.updated_at);
CREATE INDEX same_franchise_updated_at IF NOT EXISTS FOR ()-[e:SAME_FRANCHISE]-() ON (e.updated_at);
CREATE INDEX sequel_of_updated_at IF NOT EXISTS FOR ()-[e:SEQUEL_OF]-() ON (e.updated_at);
CREATE INDEX spinoff_of_updated_at IF NOT EXISTS FOR ()-[e:SPINOFF_OF]-() ON (e.updated_at);
CREATE INDEX remake_of_updated_at IF NOT EXISTS FOR ()-[e:REMAKE_OF]-() ON (e.updated_at);

// One record per job (the last finished run), so `--since last` knows where the last one began.
CREATE CONSTRAINT job_run_name IF NOT EXISTS
FOR (j:JobRun) REQUIRE j.name IS UNIQUE;
