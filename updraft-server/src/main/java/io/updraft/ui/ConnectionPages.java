package io.updraft.ui;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionActions;
import io.updraft.connections.Masking;
import io.updraft.connections.SecretMasker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /connections}: the connections without their passwords (a page shows only whether one is
 * set) and with secret-looking extra fields masked ({@link Masking}); an op adds, replaces and
 * deletes them through {@link ConnectionActions}, audited. A form left without a password keeps the
 * stored one.
 */
final class ConnectionPages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConnectionPages() {}

  /** A connection as listed: never its password. */
  public record Shown(
      String connId,
      String connType,
      String host,
      Integer port,
      String login,
      String schema,
      boolean hasPassword,
      String extra,
      String description) {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get("/connections", Role.VIEWER, (ctx, session) -> list(ui, null)),
        Page.post(
            "/connections",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/connections",
                    () -> {
                      ConnectionActions actions = new ConnectionActions(ui.db(), ui.fernetKeys());
                      String id = Forms.required(ctx, "conn_id");
                      String password = Forms.optional(ctx, "password");
                      if (password == null) {
                        password = actions.get(id).map(Connection::password).orElse(null);
                      }
                      Connection c =
                          new Connection(
                              id,
                              Forms.required(ctx, "conn_type"),
                              Forms.optional(ctx, "host"),
                              Forms.integer(ctx, "port"),
                              Forms.optional(ctx, "login"),
                              password,
                              Forms.optional(ctx, "schema"),
                              extra(Forms.optional(ctx, "extra")),
                              Forms.optional(ctx, "description"));
                      actions.set(c, session.username(), ui.clock().instant());
                    },
                    error -> list(ui, error))),
        Page.post(
            "/connections/{conn_id}/delete",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/connections",
                    () -> {
                      String id = ctx.pathParam("conn_id");
                      if (!new ConnectionActions(ui.db(), ui.fernetKeys())
                          .delete(id, session.username(), ui.clock().instant())) {
                        throw ApiException.notFound("no connection '" + id + "'");
                      }
                    },
                    error -> list(ui, error))));
  }

  private static Map<String, Object> extra(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return Optional.ofNullable(JSON.readValue(text, new TypeReference<Map<String, Object>>() {}))
          .orElse(Map.of());
    } catch (Exception e) {
      throw ApiException.badRequest("extra must be a JSON object, e.g. {\"timeout\": 30}");
    }
  }

  private static View list(Ui ui, String error) {
    List<Shown> conns =
        new ConnectionActions(ui.db(), ui.fernetKeys())
            .list().stream()
                .map(
                    c -> {
                      SecretMasker m = Masking.of(c);
                      return new Shown(
                          c.connId(),
                          c.connType(),
                          c.host() == null ? null : m.mask(c.host()),
                          c.port(),
                          c.login(),
                          c.schema(),
                          c.password() != null && !c.password().isEmpty(),
                          c.extra().isEmpty() ? "" : json(Masking.fields(c.extra(), m)),
                          c.description());
                    })
                .toList();
    Map<String, Object> model = new HashMap<>();
    model.put("connections", conns);
    model.put("error", error);
    return View.of("connections", model);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      return "";
    }
  }
}
