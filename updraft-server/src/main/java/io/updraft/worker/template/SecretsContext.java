package io.updraft.worker.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionJson;
import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.UnknownConnectionException;
import io.updraft.connections.VariableLookup;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code conn} and {@code var} template values (SPEC §1.7), read lazily through the try's
 * lookups: {@code conn.ID.host|port|login|password|schema|extra|extra_dejson|conn_type}, {@code
 * var.value.KEY}, {@code var.json.KEY.path}. The lookups feed the try's secret masker with what
 * they reveal, so a password a template puts into a command is masked in the log.
 */
final class SecretsContext {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretsContext() {}

  static Object conn(ConnectionLookup connections) {
    return new NamedLookup(
        "conn",
        id -> connections.find(id).map(SecretsContext::connection),
        id -> new UnknownConnectionException(id).getMessage());
  }

  static Map<String, Object> var(VariableLookup variables) {
    Map<String, Object> var = new LinkedHashMap<>();
    var.put(
        "value",
        new NamedLookup(
            "var.value", key -> variables.find(key).map(v -> v), SecretsContext::noVariable));
    var.put(
        "json",
        new NamedLookup(
            "var.json",
            key -> variables.find(key).map(text -> json(key, text)),
            SecretsContext::noVariable));
    return var;
  }

  private static String noVariable(String key) {
    return "variable '"
        + key
        + "' is not defined: set it with 'updraft variables set "
        + key
        + " VALUE' or set UPDRAFT_VAR_"
        + key.toUpperCase(Locale.ROOT);
  }

  private static Object json(String key, String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "variable '" + key + "' is not JSON — read it as var.value." + key);
    }
  }

  private static TemplateObject connection(Connection c) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("conn_id", c.connId());
    attrs.put("conn_type", c.connType());
    attrs.put("description", c.description());
    attrs.put("host", c.host());
    attrs.put("port", c.port());
    attrs.put("login", c.login());
    attrs.put("password", c.password());
    attrs.put("schema", c.schema());
    attrs.put("extra", Optional.ofNullable(ConnectionJson.extraText(c.extra())).orElse(""));
    attrs.put("extra_dejson", c.extra());
    // Airflow prints a connection as its id.
    return new TemplateObject("conn." + c.connId(), attrs, Map.of(), c.connId());
  }
}
