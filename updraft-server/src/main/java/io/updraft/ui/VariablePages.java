package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.connections.Masking;
import io.updraft.connections.VariableActions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /variables}: the variables, secret-looking values masked ({@link Masking#variable}, the
 * rule the CLI and the API list by); an op sets and deletes them through {@link VariableActions},
 * audited.
 */
final class VariablePages {
  static final int VALUE_CHARS = 500;

  private VariablePages() {}

  /** A variable as listed: its value masked and cut. */
  public record Shown(String key, String value, String description, boolean encrypted) {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get("/variables", Role.VIEWER, (ctx, session) -> list(ui, null)),
        Page.post(
            "/variables",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/variables",
                    () -> {
                      String key = Forms.required(ctx, "key");
                      String value = ctx.formParam("value");
                      if (value == null) {
                        throw ApiException.badRequest("value is required");
                      }
                      new VariableActions(ui.db(), ui.fernetKeys())
                          .set(
                              key,
                              value,
                              Forms.optional(ctx, "description"),
                              session.username(),
                              ui.clock().instant());
                    },
                    error -> list(ui, error))),
        Page.post(
            "/variables/{key}/delete",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/variables",
                    () -> {
                      String key = ctx.pathParam("key");
                      if (!new VariableActions(ui.db(), ui.fernetKeys())
                          .delete(key, session.username(), ui.clock().instant())) {
                        throw ApiException.notFound("no variable '" + key + "'");
                      }
                    },
                    error -> list(ui, error))));
  }

  private static View list(Ui ui, String error) {
    List<Shown> vars =
        new VariableActions(ui.db(), ui.fernetKeys())
            .list().stream()
                .map(
                    v ->
                        new Shown(
                            v.key(),
                            Formats.cut(Masking.variable(v.key(), v.value()), VALUE_CHARS),
                            v.description(),
                            v.isEncrypted()))
                .toList();
    Map<String, Object> model = new HashMap<>();
    model.put("variables", vars);
    model.put("error", error);
    return View.of("variables", model);
  }
}
