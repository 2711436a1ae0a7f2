-- Connections and variables (SPEC §1.7), with Airflow's columns. A connection's password and
-- extra, and a variable's value, are Fernet tokens when is_encrypted / is_extra_encrypted is
-- true (core.fernet_key), plain text otherwise. `key` and `schema` are reserved words here.
CREATE TABLE connection (
    id                  BIGINT NOT NULL AUTO_INCREMENT,
    conn_id             VARCHAR(250) NOT NULL,
    conn_type           VARCHAR(500) NOT NULL,
    description         LONGTEXT,
    host                VARCHAR(500),
    `schema`            VARCHAR(500),
    login               LONGTEXT,
    password            LONGTEXT,
    port                INTEGER,
    is_encrypted        BOOLEAN NOT NULL DEFAULT FALSE,
    is_extra_encrypted  BOOLEAN NOT NULL DEFAULT FALSE,
    extra               LONGTEXT,
    PRIMARY KEY (id),
    CONSTRAINT connection_conn_id_uq UNIQUE (conn_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE variable (
    id            BIGINT NOT NULL AUTO_INCREMENT,
    `key`         VARCHAR(250) NOT NULL,
    val           LONGTEXT,
    description   LONGTEXT,
    is_encrypted  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (id),
    CONSTRAINT variable_key_uq UNIQUE (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
