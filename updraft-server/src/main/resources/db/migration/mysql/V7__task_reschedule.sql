-- Sensors in reschedule mode (SPEC §1.9): one row per check that found its condition not yet
-- holding, written when the try goes running -> up_for_reschedule (Airflow's task_reschedule). The
-- try number is kept across checks; the first row of a task instance's try says when its first
-- check started, from which the sensor's timeout counts. Deferral needs no new column:
-- deferred_trigger (V1) and task_instance.trigger_id / trigger_timeout already hold it.
CREATE TABLE task_reschedule (
    id                BIGINT NOT NULL AUTO_INCREMENT,
    task_instance_id  BIGINT NOT NULL,
    dag_id            VARCHAR(250) NOT NULL,
    run_id            VARCHAR(250) NOT NULL,
    task_id           VARCHAR(250) NOT NULL,
    map_index         INTEGER NOT NULL DEFAULT -1,
    try_number        INTEGER NOT NULL,
    start_date        DATETIME(6) NOT NULL,
    end_date          DATETIME(6) NOT NULL,
    duration          DOUBLE PRECISION,
    reschedule_date   DATETIME(6) NOT NULL,
    CONSTRAINT task_reschedule_pkey PRIMARY KEY (id),
    CONSTRAINT task_reschedule_dag_run_fkey FOREIGN KEY (dag_id, run_id)
        REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- "The first check of this task instance's try": firstCheck, and a worker's start of a rescheduled
-- try (which keeps its try number).
CREATE INDEX idx_task_reschedule_try ON task_reschedule (task_instance_id, try_number, id);
CREATE INDEX idx_task_reschedule_dag_run ON task_reschedule (dag_id, run_id);
