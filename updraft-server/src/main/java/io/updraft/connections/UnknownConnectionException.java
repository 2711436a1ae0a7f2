package io.updraft.connections;

/** A DAG or a template names a connection that no source has. */
public final class UnknownConnectionException extends io.updraft.UpdraftException {
  private final String connId;

  public UnknownConnectionException(String connId) {
    super(
        "connection '"
            + connId
            + "' is not defined: add it with 'updraft connections add "
            + connId
            + " --conn-uri URI' or set UPDRAFT_CONN_"
            + connId.toUpperCase(java.util.Locale.ROOT)
            + "");
    this.connId = connId;
  }

  public String connId() {
    return connId;
  }
}
