-- Callbacks (SPEC §1.8): one row per notifier to run, written in the same transaction as the state
-- change that causes it, so a crash between the two loses nothing. The callback runner claims due
-- rows (state pending, or running with an expired lease: a runner that died mid-callback) and runs
-- them at least once; a notifier that keeps failing ends in state failed with its last error.
-- V1's callback_request (Airflow's shape) was never written; this one replaces it.
DROP TABLE callback_request;
CREATE TABLE callback_request (
    id               BIGINT NOT NULL AUTO_INCREMENT,
    dag_id           VARCHAR(250) NOT NULL,
    run_id           VARCHAR(250) NOT NULL,
    task_id          VARCHAR(250),
    map_index        INTEGER NOT NULL DEFAULT -1,
    try_number       INTEGER NOT NULL DEFAULT 0,
    event            VARCHAR(20) NOT NULL,
    notifier         LONGTEXT NOT NULL,
    reason           LONGTEXT,
    state            VARCHAR(20) NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    next_attempt_at  DATETIME(6) NOT NULL,
    claimed_by       VARCHAR(250),
    last_error       LONGTEXT,
    created_at       DATETIME(6) NOT NULL,
    updated_at       DATETIME(6) NOT NULL,
    CONSTRAINT callback_request_pkey PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- "Due callbacks": pending or leased rows whose time has come.
CREATE INDEX idx_callback_request_due ON callback_request (state, next_attempt_at);
CREATE INDEX idx_callback_request_run ON callback_request (dag_id, run_id);

-- Deadline alerts (Airflow 3.1): one row per run of a DAG with a deadline, written when the run
-- is created. The runner finds the due ones by index (state, deadline_at), never by scanning runs:
-- a run still not ended gets its callback (state fired), an ended one is closed (state met).
CREATE TABLE deadline (
    id               BIGINT NOT NULL AUTO_INCREMENT,
    dag_run_id       BIGINT NOT NULL,
    dag_id           VARCHAR(250) NOT NULL,
    run_id           VARCHAR(250) NOT NULL,
    deadline_at      DATETIME(6) NOT NULL,
    callback         LONGTEXT NOT NULL,
    state            VARCHAR(20) NOT NULL,
    updated_at       DATETIME(6) NOT NULL,
    CONSTRAINT deadline_pkey PRIMARY KEY (id),
    CONSTRAINT deadline_dag_run_id_key UNIQUE (dag_run_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_deadline_due ON deadline (state, deadline_at);
