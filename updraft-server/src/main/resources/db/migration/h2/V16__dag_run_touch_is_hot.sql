-- PostgreSQL's V16 takes last_scheduling_decision out of dag_run's indexes and drops (dag_id, state)
-- (decisions/0190). This engine updates only the indexes whose columns a write changes: recording
-- an examination now writes the row alone, and a state change one index fewer.
DROP INDEX idx_dag_run_state_decision;
CREATE INDEX idx_dag_run_state ON dag_run (state);
DROP INDEX idx_dag_run_dag_id_state;
