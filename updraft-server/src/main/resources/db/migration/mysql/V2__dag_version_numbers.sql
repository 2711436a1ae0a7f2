-- Each stored version of a DAG gets a number, 1 for the first: what `dags show --version N` and
-- the DagRun JSON show, and what orders versions (created_at can tie).
ALTER TABLE serialized_dag ADD COLUMN version_number INTEGER;

UPDATE serialized_dag s
JOIN (
    SELECT a.dag_id, a.dag_hash, COUNT(*) AS n
    FROM serialized_dag a
    JOIN serialized_dag b
      ON b.dag_id = a.dag_id
     AND (b.created_at < a.created_at
          OR (b.created_at = a.created_at AND b.dag_hash <= a.dag_hash))
    GROUP BY a.dag_id, a.dag_hash
) r ON r.dag_id = s.dag_id AND r.dag_hash = s.dag_hash
SET s.version_number = r.n;

ALTER TABLE serialized_dag MODIFY version_number INTEGER NOT NULL;
CREATE UNIQUE INDEX idx_serialized_dag_version ON serialized_dag (dag_id, version_number);
