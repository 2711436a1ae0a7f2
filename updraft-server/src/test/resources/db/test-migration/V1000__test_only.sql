-- A migration only tests see: it plays "the next Updraft version" for the schema version checks.
CREATE TABLE test_only_marker (id INTEGER NOT NULL);
