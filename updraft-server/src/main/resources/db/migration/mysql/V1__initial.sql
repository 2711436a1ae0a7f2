-- Updraft metadata schema, version 1 (MySQL 8 / MariaDB 10.6+).
--
-- The same logical schema exists for H2 (../h2) and PostgreSQL (../postgres): same tables, same
-- column names, the closest types. Keep the three files in step; the contract tests run on all.
--
-- Conventions
--   * Times are UTC instants stored as DATETIME(6) holding UTC wall-clock time: MySQL has no
--     zoned timestamp type, and TIMESTAMP ends in 2038. Updraft binds them as LocalDateTime at UTC
--     (no driver conversion) and pins every session to time_zone '+00:00' so that any SQL time
--     function agrees (see io.updraft.store.Dialect).
--   * Tables are InnoDB, utf8mb4 with the binary collation: ids compare case-sensitively, as on
--     PostgreSQL and H2 (MySQL's default collations would make 'Dag' and 'dag' the same id).
--   * Ids (dag_id, run_id, task_id) are VARCHAR(250) as in Airflow, compared case-sensitively.
--   * JSON documents (serialized DAGs, conf, XCom values) are plain LONGTEXT: the server parses
--     them; no query looks inside them.
--   * task_instance.state NULL means "none" (Airflow's TaskInstanceState.NONE).
--   * No reserved word of any of the three databases is used as a name, so the same SQL runs
--     unquoted everywhere: Airflow's xcom.key/value are xcom_key/xcom_value, its trigger table is
--     deferred_trigger, import_error's line/column are line_number/column_number.

CREATE TABLE dag (
    dag_id                           VARCHAR(250) NOT NULL,
    fileloc                          VARCHAR(2000),
    owners                           VARCHAR(2000),
    description                      LONGTEXT,
    is_paused                        BOOLEAN NOT NULL DEFAULT FALSE,
    is_active                        BOOLEAN NOT NULL DEFAULT TRUE,
    has_import_errors                BOOLEAN NOT NULL DEFAULT FALSE,
    last_parsed_time                 DATETIME(6),
    timetable_summary                VARCHAR(1000),
    timetable_description            VARCHAR(1000),
    max_active_runs                  INTEGER,
    max_active_tasks                 INTEGER NOT NULL DEFAULT 16,
    max_consecutive_failed_dag_runs  INTEGER NOT NULL DEFAULT 0,
    has_task_concurrency_limits      BOOLEAN NOT NULL DEFAULT FALSE,
    next_dagrun                      DATETIME(6),
    next_dagrun_data_interval_start  DATETIME(6),
    next_dagrun_data_interval_end    DATETIME(6),
    next_dagrun_create_after         DATETIME(6),
    PRIMARY KEY (dag_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- The scheduler's "which DAGs need a new run" query.
CREATE INDEX idx_dag_next_dagrun_create_after ON dag (next_dagrun_create_after);

-- Every version of every DAG, by content hash: a run keeps running on the version it was created with.
CREATE TABLE serialized_dag (
    dag_id      VARCHAR(250) NOT NULL,
    dag_hash    VARCHAR(64) NOT NULL,
    fileloc     VARCHAR(2000),
    data        LONGTEXT NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (dag_id, dag_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_serialized_dag_latest ON serialized_dag (dag_id, created_at);

CREATE TABLE dag_run (
    id                        BIGINT NOT NULL AUTO_INCREMENT,
    dag_id                    VARCHAR(250) NOT NULL,
    run_id                    VARCHAR(250) NOT NULL,
    run_type                  VARCHAR(50) NOT NULL,
    state                     VARCHAR(50) NOT NULL,
    logical_date              DATETIME(6),
    data_interval_start       DATETIME(6),
    data_interval_end         DATETIME(6),
    run_after                 DATETIME(6) NOT NULL,
    queued_at                 DATETIME(6),
    start_date                DATETIME(6),
    end_date                  DATETIME(6),
    external_trigger          BOOLEAN NOT NULL DEFAULT FALSE,
    triggered_by              VARCHAR(50),
    conf                      LONGTEXT,
    dag_hash                  VARCHAR(64),
    last_scheduling_decision  DATETIME(6),
    creating_job_id           BIGINT,
    clear_number              INTEGER NOT NULL DEFAULT 0,
    note                      LONGTEXT,
    updated_at                DATETIME(6),
    PRIMARY KEY (id),
    CONSTRAINT dag_run_dag_id_run_id_key UNIQUE (dag_id, run_id),
    CONSTRAINT dag_run_dag_id_logical_date_key UNIQUE (dag_id, logical_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_dag_run_dag_id_state ON dag_run (dag_id, state);
-- "Examine running DagRuns, oldest scheduling decision first."
CREATE INDEX idx_dag_run_state_decision ON dag_run (state, last_scheduling_decision);

-- One row per task instance (task x run x map index). The surrogate id is what claim queries
-- lock and walk (see the H2 migration for why that matters there).
CREATE TABLE task_instance (
    id                    BIGINT NOT NULL AUTO_INCREMENT,
    dag_id                VARCHAR(250) NOT NULL,
    run_id                VARCHAR(250) NOT NULL,
    task_id               VARCHAR(250) NOT NULL,
    map_index             INTEGER NOT NULL DEFAULT -1,
    state                 VARCHAR(20),
    try_number            INTEGER NOT NULL DEFAULT 0,
    max_tries             INTEGER NOT NULL DEFAULT 0,
    priority_weight       INTEGER NOT NULL DEFAULT 1,
    pool                  VARCHAR(256) NOT NULL,
    pool_slots            INTEGER NOT NULL DEFAULT 1,
    queue                 VARCHAR(256),
    operator              VARCHAR(1000),
    start_date            DATETIME(6),
    end_date              DATETIME(6),
    duration              DOUBLE PRECISION,
    hostname              VARCHAR(1000),
    pid                   INTEGER,
    queued_dttm           DATETIME(6),
    queued_by_job_id      BIGINT,
    job_id                BIGINT,
    external_executor_id  VARCHAR(250),
    last_heartbeat_at     DATETIME(6),
    next_retry_at         DATETIME(6),
    trigger_id            BIGINT,
    trigger_timeout       DATETIME(6),
    next_method           VARCHAR(1000),
    next_kwargs           LONGTEXT,
    updated_at            DATETIME(6),
    PRIMARY KEY (id),
    CONSTRAINT task_instance_key UNIQUE (dag_id, run_id, task_id, map_index),
    CONSTRAINT task_instance_dag_run_fkey FOREIGN KEY (dag_id, run_id)
        REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- The critical section: scheduled TIs by pool, highest priority first.
CREATE INDEX idx_task_instance_state_pool ON task_instance (state, pool, priority_weight);
-- Remote workers claim queued TIs by queue.
CREATE INDEX idx_task_instance_state_queue ON task_instance (state, queue);
CREATE INDEX idx_task_instance_queued_by_job ON task_instance (queued_by_job_id);
CREATE INDEX idx_task_instance_trigger ON task_instance (trigger_id);

-- One row per finished try of a task instance.
CREATE TABLE task_instance_history (
    id                    BIGINT NOT NULL AUTO_INCREMENT,
    task_instance_id      BIGINT NOT NULL,
    dag_id                VARCHAR(250) NOT NULL,
    run_id                VARCHAR(250) NOT NULL,
    task_id               VARCHAR(250) NOT NULL,
    map_index             INTEGER NOT NULL DEFAULT -1,
    try_number            INTEGER NOT NULL,
    state                 VARCHAR(20),
    max_tries             INTEGER NOT NULL DEFAULT 0,
    priority_weight       INTEGER NOT NULL DEFAULT 1,
    pool                  VARCHAR(256) NOT NULL,
    pool_slots            INTEGER NOT NULL DEFAULT 1,
    queue                 VARCHAR(256),
    operator              VARCHAR(1000),
    start_date            DATETIME(6),
    end_date              DATETIME(6),
    duration              DOUBLE PRECISION,
    hostname              VARCHAR(1000),
    pid                   INTEGER,
    queued_dttm           DATETIME(6),
    queued_by_job_id      BIGINT,
    job_id                BIGINT,
    external_executor_id  VARCHAR(250),
    updated_at            DATETIME(6),
    PRIMARY KEY (id),
    CONSTRAINT task_instance_history_try_key UNIQUE (dag_id, run_id, task_id, map_index, try_number),
    CONSTRAINT task_instance_history_dag_run_fkey FOREIGN KEY (dag_id, run_id)
        REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE xcom (
    dag_run_id  BIGINT NOT NULL,
    task_id     VARCHAR(250) NOT NULL,
    map_index   INTEGER NOT NULL DEFAULT -1,
    xcom_key    VARCHAR(512) NOT NULL,
    dag_id      VARCHAR(250) NOT NULL,
    run_id      VARCHAR(250) NOT NULL,
    xcom_value  LONGTEXT,
    timestamp   DATETIME(6) NOT NULL,
    PRIMARY KEY (dag_run_id, task_id, map_index, xcom_key),
    CONSTRAINT xcom_dag_run_fkey FOREIGN KEY (dag_run_id) REFERENCES dag_run (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_xcom_task_instance ON xcom (dag_id, run_id, task_id, map_index);

-- slots -1 means unlimited.
CREATE TABLE pool (
    pool              VARCHAR(256) NOT NULL,
    slots             INTEGER NOT NULL,
    description       LONGTEXT,
    include_deferred  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (pool),
    CONSTRAINT pool_slots_check CHECK (slots >= -1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO pool (pool, slots, description, include_deferred)
VALUES ('default_pool', 128, 'Default pool', FALSE);

-- Schedulers, triggerers, workers and DAG processors, with their heartbeats.
CREATE TABLE job (
    id                BIGINT NOT NULL AUTO_INCREMENT,
    job_type          VARCHAR(30) NOT NULL,
    state             VARCHAR(20),
    hostname          VARCHAR(1000),
    pid               INTEGER,
    latest_heartbeat  DATETIME(6),
    start_date        DATETIME(6),
    end_date          DATETIME(6),
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_job_type_heartbeat ON job (job_type, latest_heartbeat);
CREATE INDEX idx_job_state_type ON job (state, job_type);

-- Airflow's "trigger" table (TRIGGER is reserved in MySQL).
CREATE TABLE deferred_trigger (
    id             BIGINT NOT NULL AUTO_INCREMENT,
    classpath      VARCHAR(1000) NOT NULL,
    kwargs         LONGTEXT NOT NULL,
    created_date   DATETIME(6) NOT NULL,
    triggerer_id   BIGINT,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_deferred_trigger_triggerer ON deferred_trigger (triggerer_id);

CREATE TABLE import_error (
    id             BIGINT NOT NULL AUTO_INCREMENT,
    filename       VARCHAR(1024) NOT NULL,
    line_number    INTEGER,
    column_number  INTEGER,
    message        LONGTEXT NOT NULL,
    stacktrace     LONGTEXT,
    timestamp      DATETIME(6) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Audit log of user actions.
CREATE TABLE log (
    id           BIGINT NOT NULL AUTO_INCREMENT,
    dttm         DATETIME(6) NOT NULL,
    event        VARCHAR(60) NOT NULL,
    dag_id       VARCHAR(250),
    task_id      VARCHAR(250),
    run_id       VARCHAR(250),
    map_index    INTEGER,
    try_number   INTEGER,
    owner        VARCHAR(500),
    extra        LONGTEXT,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idx_log_dttm ON log (dttm);
CREATE INDEX idx_log_dag_id_dttm ON log (dag_id, dttm);

CREATE TABLE callback_request (
    id               BIGINT NOT NULL AUTO_INCREMENT,
    created_at       DATETIME(6) NOT NULL,
    priority_weight  INTEGER NOT NULL,
    callback_type    VARCHAR(20) NOT NULL,
    callback_data    LONGTEXT NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
