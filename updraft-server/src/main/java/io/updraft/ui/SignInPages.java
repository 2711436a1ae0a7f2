package io.updraft.ui;

import io.updraft.api.ApiException;
import java.util.List;
import java.util.Map;

/**
 * {@code /login} and {@code /logout}. Sign-in goes through {@link io.updraft.api.SignIn}, the code
 * behind {@code POST /auth/token}, so the same lock-out after repeated failures applies to both.
 */
final class SignInPages {
  private SignInPages() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/login",
            null,
            (ctx, session) ->
                View.of(
                    "login",
                    Map.of(
                        "next",
                        WebUi.localPath(ctx.queryParam("next")),
                        "error",
                        "",
                        "username",
                        ""))),
        Page.post(
            "/login",
            null,
            (ctx, session) -> {
              String username = ctx.formParam("username");
              String password = ctx.formParam("password");
              String next = WebUi.localPath(ctx.formParam("next"));
              try {
                if (username == null || username.isBlank() || password == null) {
                  throw ApiException.unauthorized("enter a username and a password");
                }
                ui.sessions().start(ctx, ui.signIn().token(username.trim(), password));
              } catch (ApiException e) {
                return View.of(
                        "login",
                        Map.of(
                            "next",
                            next,
                            "error",
                            e.getMessage(),
                            "username",
                            username == null ? "" : username))
                    .withStatus(e.status());
              }
              ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
              return null;
            }),
        Page.post(
            "/logout",
            null,
            (ctx, session) -> {
              ui.sessions().end(ctx);
              ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
              return null;
            }));
  }
}
