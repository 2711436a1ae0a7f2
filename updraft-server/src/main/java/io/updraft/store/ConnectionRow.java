package io.updraft.store;

/**
 * A row of the {@code connection} table as stored: {@code password} and {@code extra} are Fernet
 * tokens when their flag says so. {@code io.updraft.connections.StoredConnections} turns rows into
 * connections and back.
 */
public record ConnectionRow(
    String connId,
    String connType,
    String description,
    String host,
    String schema,
    String login,
    String password,
    Integer port,
    String extra,
    boolean isEncrypted,
    boolean isExtraEncrypted) {}
