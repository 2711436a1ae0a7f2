-- The code of Java DAG files and jars whose DAGs use custom operators (SPEC §1.6): a jar of
-- classes, keyed by the SHA-256 of its bytes. A DAG version names its bundle in each custom
-- operator (com.acme.Load@<hash>), so a run keeps the operator code it was created with; bundles
-- are never rewritten, and a worker fetches only the one its task needs.
CREATE TABLE dag_bundle (
    bundle_hash VARCHAR(64) NOT NULL,
    fileloc     VARCHAR(2000) NOT NULL,
    content     BLOB NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (bundle_hash)
);
