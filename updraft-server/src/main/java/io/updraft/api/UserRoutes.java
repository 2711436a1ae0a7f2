package io.updraft.api;

import io.updraft.UpdraftException;
import io.updraft.store.Database;
import io.updraft.store.UserRow;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /auth/fab/v1/users}: the users of the API, where Airflow 3's FAB auth manager serves them
 * (Admin only), through {@link UserAccounts}, the code {@code updraft users} runs (same username
 * and password rules, same audit records). Each user has one role, written as FAB writes roles
 * ({@code [{"name": "Admin"}]}); a password is taken on a write and never returned, nor its hash
 * (decisions/0106).
 */
final class UserRoutes {
  private UserRoutes() {}

  /** A role as FAB writes it: {@code {"name": "Admin"}}. */
  public record RoleName(String name) {}

  public record UserResponse(
      String username,
      List<RoleName> roles,
      boolean active,
      String createdOn,
      String changedOn,
      int failLoginCount) {}

  public record UserCollection(List<UserResponse> users, int totalEntries) {}

  /** {@code POST}'s body: a username, a password and exactly one role. */
  public record UserBody(String username, String password, List<RoleName> roles) {
    public UserBody {
      if (username == null || username.isBlank()) {
        throw ApiException.unprocessable("username: required");
      }
      if (password == null) {
        throw ApiException.unprocessable("password: required (at least 8 characters)");
      }
      if (roles == null) {
        throw ApiException.unprocessable("roles: required, e.g. [{\"name\": \"Viewer\"}]");
      }
    }
  }

  /** {@code PATCH}'s body: a new password, a new role, or both. */
  public record UserPatchBody(String username, String password, List<RoleName> roles) {}

  private static final Map<String, Comparator<UserResponse>> ORDERS =
      Map.of(
          "username", Comparator.comparing(UserResponse::username),
          "created_on", Comparator.comparing(UserResponse::createdOn),
          "changed_on", Comparator.comparing(UserResponse::changedOn));

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                "/auth/fab/v1/users",
                Role.ADMIN,
                "List users",
                UserCollection.class,
                (ctx, caller) -> {
                  Paging paging = Paging.of(ctx, "username", List.copyOf(ORDERS.keySet()));
                  List<UserResponse> all =
                      new UserAccounts(db).list().stream().map(UserRoutes::response).toList();
                  return new UserCollection(paging.page(all, ORDERS), all.size());
                })
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "username (default), created_on, changed_on"),
        Route.post(
            "/auth/fab/v1/users",
            Role.ADMIN,
            "Create a user",
            UserBody.class,
            UserResponse.class,
            (ctx, caller) -> {
              UserBody body = Bodies.read(ctx, UserBody.class);
              Role role = role(body.roles());
              UserAccounts accounts = new UserAccounts(db);
              requireUsername(body.username());
              requirePassword(body.password());
              if (accounts.exists(body.username())) {
                throw ApiException.conflict(
                    "a user named '" + body.username() + "' exists already: choose another name");
              }
              accounts.create(
                  body.username(), role, body.password(), caller.username(), clock.instant());
              return response(require(accounts, body.username()));
            }),
        Route.get(
            "/auth/fab/v1/users/{username}",
            Role.ADMIN,
            "Get a user",
            UserResponse.class,
            (ctx, caller) -> response(require(new UserAccounts(db), ctx.pathParam("username")))),
        Route.patch(
                "/auth/fab/v1/users/{username}",
                Role.ADMIN,
                "Change a user's role or password",
                UserPatchBody.class,
                UserResponse.class,
                (ctx, caller) -> {
                  String username = ctx.pathParam("username");
                  UserPatchBody body = Bodies.read(ctx, UserPatchBody.class);
                  List<String> mask = UpdateMask.of(ctx, List.of("password", "roles"));
                  if (body.username() != null && !body.username().equals(username)) {
                    throw ApiException.badRequest(
                        "username: a user cannot be renamed ('"
                            + body.username()
                            + "' is not '"
                            + username
                            + "')");
                  }
                  UserAccounts accounts = new UserAccounts(db);
                  require(accounts, username);
                  List<RoleName> roles = UpdateMask.pick(mask, "roles", body.roles());
                  String password = UpdateMask.pick(mask, "password", body.password());
                  if (mask.contains("roles") && roles == null) {
                    throw ApiException.unprocessable("roles: a user needs exactly one role");
                  }
                  if (mask.contains("password") && password == null) {
                    throw ApiException.unprocessable("password: cannot be removed, only changed");
                  }
                  Role role = roles == null ? null : role(roles);
                  if (password != null) {
                    requirePassword(password);
                  }
                  db.runInTransaction(
                      () -> {
                        if (role != null) {
                          accounts.setRole(username, role, caller.username(), clock.instant());
                        }
                        if (password != null) {
                          accounts.resetPassword(
                              username, password, caller.username(), clock.instant());
                        }
                      });
                  return response(require(accounts, username));
                })
            .withQuery("update_mask", "string", "change only these fields: password, roles"),
        Route.delete(
            "/auth/fab/v1/users/{username}",
            Role.ADMIN,
            "Delete a user",
            (ctx, caller) -> {
              String username = ctx.pathParam("username");
              UserAccounts accounts = new UserAccounts(db);
              require(accounts, username);
              accounts.delete(username, caller.username(), clock.instant());
              return null;
            }));
  }

  /** The one role of {@code roles}, by FAB's name or Updraft's id in any case. */
  private static Role role(List<RoleName> roles) {
    if (roles.size() != 1 || roles.getFirst() == null || roles.getFirst().name() == null) {
      throw ApiException.unprocessable(
          "roles: a user has exactly one role, e.g. [{\"name\": \"Viewer\"}] (one of "
              + roleNames()
              + ")");
    }
    try {
      return Role.parse(roles.getFirst().name());
    } catch (UpdraftException e) {
      throw ApiException.unprocessable(
          "roles: unknown role '" + roles.getFirst().name() + "': use one of " + roleNames());
    }
  }

  private static String roleNames() {
    return String.join(
        ", ", java.util.Arrays.stream(Role.values()).map(UserRoutes::fabName).toList());
  }

  /** A role as FAB names it: {@code Admin}, {@code Viewer}... */
  static String fabName(Role role) {
    String id = role.id();
    return id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
  }

  private static void requireUsername(String username) {
    try {
      UserAccounts.requireUsername(username);
    } catch (UpdraftException e) {
      throw ApiException.unprocessable("username: " + e.getMessage());
    }
  }

  private static void requirePassword(String password) {
    try {
      Passwords.requireAcceptable(password);
    } catch (UpdraftException e) {
      throw ApiException.unprocessable("password: " + e.getMessage());
    }
  }

  private static UserRow require(UserAccounts accounts, String username) {
    return accounts
        .get(username)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "there is no user '" + username + "' (GET /auth/fab/v1/users lists them)"));
  }

  private static UserResponse response(UserRow u) {
    return new UserResponse(
        u.username(),
        List.of(new RoleName(fabName(Role.parse(u.role())))),
        true,
        Json.instant(u.createdAt()),
        Json.instant(u.changedAt()),
        u.failedLogins());
  }
}
