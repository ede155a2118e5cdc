// Long-running jobs that must not overlap (the whole-graph similarity rebuild) hold a named lock
// node; the uniqueness constraint is what makes two concurrent MERGEs of one name a single node.

CREATE CONSTRAINT job_lock_name IF NOT EXISTS
FOR (l:JobLock) REQUIRE l.name IS UNIQUE;
