-- Assets (SPEC §1.10): what tasks' outlets name, registered when a DAG naming them is stored, and
-- their events — one per outlet of each successful try, and those created through the API or the
-- CLI (decisions/0130). An asset is its URI (name = uri, group 'asset', as Airflow's Asset(uri)).
-- URIs are ASCII, at most 1,500 characters (AssetUris checks them before they get here): stored
-- as ascii here so the unique index fits InnoDB's 3,072-byte key limit.
CREATE TABLE asset (
    id           BIGINT NOT NULL AUTO_INCREMENT,
    uri          VARCHAR(1500) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    asset_group  VARCHAR(1500) NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    updated_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT asset_uri_unique UNIQUE (uri)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which tasks name an asset in their outlets, as the DAG's latest stored version says (Airflow's
-- task_outlet_asset_reference): the API's producing_tasks.
CREATE TABLE task_outlet_asset (
    asset_id     BIGINT NOT NULL,
    dag_id       VARCHAR(250) NOT NULL,
    task_id      VARCHAR(250) NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    updated_at   DATETIME(6) NOT NULL,
    CONSTRAINT task_outlet_asset_pkey PRIMARY KEY (asset_id, dag_id, task_id),
    CONSTRAINT task_outlet_asset_asset_fkey FOREIGN KEY (asset_id) REFERENCES asset (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX task_outlet_asset_dag ON task_outlet_asset (dag_id);

-- An asset's update. source_* name the try that made it (all null for one made through the API
-- or the CLI); extra is a JSON object.
CREATE TABLE asset_event (
    id                BIGINT NOT NULL AUTO_INCREMENT,
    asset_id          BIGINT NOT NULL,
    extra             LONGTEXT NOT NULL,
    source_dag_id     VARCHAR(250),
    source_task_id    VARCHAR(250),
    source_run_id     VARCHAR(250),
    source_map_index  INTEGER NOT NULL DEFAULT -1,
    timestamp         DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT asset_event_asset_fkey FOREIGN KEY (asset_id) REFERENCES asset (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX asset_event_asset_timestamp ON asset_event (asset_id, timestamp);
