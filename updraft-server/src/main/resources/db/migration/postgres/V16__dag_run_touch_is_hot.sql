-- A scheduler pass records when it examined each run (last_scheduling_decision): several writes
-- per run while it runs. With that column in an index, each such write was a new row version with
-- an entry in every index on dag_run. Without it, and with room left on each page, the write is a
-- HOT update: one row version on the same page, no index entry (decisions/0190). The rotation's
-- query reads the running runs by state and sorts them itself, as it already did (its ORDER BY is
-- not the index's order).
DROP INDEX idx_dag_run_state_decision;
CREATE INDEX idx_dag_run_state ON dag_run (state);
ALTER TABLE dag_run SET (fillfactor = 80);
-- (dag_id, state) tied with the unique (dag_id, run_id) for a read by run_id: with statistics
-- taken while a DAG had few runs, the planner read all of the DAG's runs to find one. The unique
-- keys on (dag_id, run_id) and (dag_id, logical_date) serve every read by DAG; (state) the rest.
DROP INDEX idx_dag_run_dag_id_state;
