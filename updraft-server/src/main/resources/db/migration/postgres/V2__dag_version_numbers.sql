-- Each stored version of a DAG gets a number, 1 for the first: what `dags show --version N` and
-- the DagRun JSON show, and what orders versions (created_at can tie).
ALTER TABLE serialized_dag ADD COLUMN version_number INTEGER;

UPDATE serialized_dag s
SET version_number = (
    SELECT COUNT(*)
    FROM serialized_dag t
    WHERE t.dag_id = s.dag_id
      AND (t.created_at < s.created_at
           OR (t.created_at = s.created_at AND t.dag_hash <= s.dag_hash)));

ALTER TABLE serialized_dag ALTER COLUMN version_number SET NOT NULL;
CREATE UNIQUE INDEX idx_serialized_dag_version ON serialized_dag (dag_id, version_number);
