package io.updraft.connections;

import io.updraft.UpdraftException;
import io.updraft.store.Database;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a try's connections and variables come from (SPEC §1.7): {@code UPDRAFT_CONN_<ID>} and
 * {@code UPDRAFT_VAR_<KEY>} (the id or key upper-cased) first, then the tables when there is a
 * database. Each lookup made for a try feeds that try's {@link SecretMasker} with what it reveals,
 * so its log never shows a password it read.
 */
public final class Lookups {
  public static final String CONN_PREFIX = "UPDRAFT_CONN_";
  public static final String VAR_PREFIX = "UPDRAFT_VAR_";

  private final Map<String, String> env;
  private final Function<String, Optional<Connection>> connections;
  private final Function<String, Optional<String>> variables;

  private Lookups(
      Map<String, String> env,
      Function<String, Optional<Connection>> connections,
      Function<String, Optional<String>> variables) {
    this.env = Map.copyOf(env);
    this.connections = connections;
    this.variables = variables;
  }

  /** The environment, then the database's tables decrypted with {@code keys}. */
  public static Lookups of(Map<String, String> env, Database db, FernetKeys keys) {
    Objects.requireNonNull(db, "db");
    return new Lookups(
        env, new StoredConnections(db, keys)::get, new StoredVariables(db, keys)::get);
  }

  /**
   * The environment, then these sources: a remote worker's, which reads connections and variables
   * through the API server (it holds no database credentials).
   */
  public static Lookups of(
      Map<String, String> env,
      Function<String, Optional<Connection>> connections,
      Function<String, Optional<String>> variables) {
    return new Lookups(env, connections, variables);
  }

  /** The environment only (no metadata database). */
  public static Lookups environmentOnly(Map<String, String> env) {
    return new Lookups(env, null, null);
  }

  /** Nothing at all. */
  public static Lookups none() {
    return new Lookups(Map.of(), null, null);
  }

  /** The connections a try sees; each one found adds its secrets to {@code masker}. */
  public ConnectionLookup connections(SecretMasker masker) {
    return id -> {
      Optional<Connection> found = fromEnvironment(id);
      if (found.isEmpty() && connections != null) {
        found = connections.apply(id);
      }
      found.ifPresent(masker::add);
      return found;
    };
  }

  /** The variables a try sees; each sensitive one found is added to {@code masker}. */
  public VariableLookup variables(SecretMasker masker) {
    return key -> {
      Optional<String> found = Optional.ofNullable(env.get(VAR_PREFIX + upper(key)));
      if (found.isEmpty() && variables != null) {
        found = variables.apply(key);
      }
      found.ifPresent(v -> masker.addVariable(key, v));
      return found;
    };
  }

  /**
   * The connection {@code UPDRAFT_CONN_<ID>} defines, in URI or JSON form.
   *
   * @throws UpdraftException naming the variable (never its value) when it is malformed
   */
  public Optional<Connection> fromEnvironment(String connId) {
    String name = CONN_PREFIX + upper(connId);
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          value.stripLeading().startsWith("{")
              ? ConnectionJson.parse(connId, value)
              : ConnectionUri.parse(connId, value));
    } catch (IllegalArgumentException e) {
      throw new UpdraftException(
          name
              + " is not a valid connection: "
              + e.getMessage()
              + " (a URI such as postgresql://user:pass@host:5432/db, or Airflow's JSON form)");
    }
  }

  private static String upper(String id) {
    return id.toUpperCase(Locale.ROOT);
  }
}
