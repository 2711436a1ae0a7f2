package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.scheduler.PoolActions;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /pools}: the pools (a viewer reads them); an op adds, changes and deletes them through
 * {@link PoolActions}, as {@code updraft pools} and the API do, audited with the username.
 */
final class PoolPages {
  private PoolPages() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get("/pools", Role.VIEWER, (ctx, session) -> list(ui, null)),
        Page.post(
            "/pools",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/pools",
                    () -> {
                      String name = Forms.required(ctx, "name");
                      Integer slots = Forms.integer(ctx, "slots");
                      if (slots == null) {
                        throw ApiException.badRequest("slots is required");
                      }
                      PoolActions.set(
                          ui.db(),
                          name,
                          new PoolActions.Change(
                              slots,
                              Forms.optional(ctx, "description"),
                              ctx.formParam("include_deferred") != null),
                          session.username(),
                          ui.clock().instant());
                    },
                    error -> list(ui, error))),
        Page.post(
            "/pools/{name}/delete",
            Role.OP,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/pools",
                    () -> {
                      String name = ctx.pathParam("name");
                      if (!PoolActions.delete(
                          ui.db(), name, session.username(), ui.clock().instant())) {
                        throw ApiException.notFound("no pool '" + name + "'");
                      }
                    },
                    error -> list(ui, error))));
  }

  private static View list(Ui ui, String error) {
    List<Pool> pools = new PoolRepository(ui.db()).list();
    Map<String, Object> model = new HashMap<>();
    model.put("pools", pools);
    model.put("error", error);
    return View.of("pools", model);
  }
}
