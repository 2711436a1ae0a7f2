package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /users} (admins only): the accounts, and forms to create one with a role, delete one and
 * reset a password — through {@link UserAccounts}, as {@code updraft users} and the API do,
 * audited. Password hashes are never shown.
 */
final class UserPages {
  private UserPages() {}

  /** An account as listed. */
  public record Shown(String username, String role, String createdAt, int failedLogins) {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get("/users", Role.ADMIN, (ctx, session) -> list(ui, null)),
        Page.post(
            "/users",
            Role.ADMIN,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/users",
                    () ->
                        new UserAccounts(ui.db())
                            .create(
                                Forms.required(ctx, "username"),
                                Role.parse(Forms.required(ctx, "role")),
                                Forms.required(ctx, "password"),
                                session.username(),
                                ui.clock().instant()),
                    error -> list(ui, error))),
        Page.post(
            "/users/{username}/delete",
            Role.ADMIN,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/users",
                    () -> {
                      String name = ctx.pathParam("username");
                      if (name.equals(session.username())) {
                        throw ApiException.badRequest("you cannot delete your own account");
                      }
                      new UserAccounts(ui.db())
                          .delete(name, session.username(), ui.clock().instant());
                    },
                    error -> list(ui, error))),
        Page.post(
            "/users/{username}/password",
            Role.ADMIN,
            (ctx, session) ->
                Forms.submit(
                    ctx,
                    "/users",
                    () ->
                        new UserAccounts(ui.db())
                            .resetPassword(
                                ctx.pathParam("username"),
                                Forms.required(ctx, "password"),
                                session.username(),
                                ui.clock().instant()),
                    error -> list(ui, error))));
  }

  private static View list(Ui ui, String error) {
    List<Shown> users =
        new UserAccounts(ui.db())
            .list().stream()
                .map(
                    u ->
                        new Shown(
                            u.username(),
                            u.role(),
                            String.valueOf(u.createdAt()),
                            u.failedLogins()))
                .toList();
    Map<String, Object> model = new HashMap<>();
    model.put("users", users);
    model.put("roles", Arrays.stream(Role.values()).map(Role::id).toList());
    model.put("error", error);
    return View.of("users", model);
  }
}
