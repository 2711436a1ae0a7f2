package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.updraft.api.ApiException;
import io.updraft.api.Caller;
import io.updraft.api.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The UI's sign-in state, kept in the browser and nowhere else: the session cookie holds a token
 * from {@link Tokens} (the API's own JWT, so any API server of the cluster accepts it), {@code
 * HttpOnly} so scripts cannot read it and {@code SameSite=Strict} so other sites' requests do not
 * carry it. Forms carry a CSRF token derived from the cookie, which another site can neither read
 * nor compute.
 */
final class Sessions {
  static final String COOKIE = "updraft_session";
  static final String CSRF_FIELD = "_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final Tokens tokens;

  Sessions(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The browser's session, or null when it has none or its token is expired or forged. */
  Session current(Context ctx) {
    String token = ctx.cookie(COOKIE);
    if (token == null || token.isBlank()) {
      return null;
    }
    try {
      Caller caller = tokens.verify(token);
      return new Session(caller, csrf(token));
    } catch (ApiException e) {
      return null;
    }
  }

  /** Signs the browser in with a token from {@link io.updraft.api.SignIn}. */
  void start(Context ctx, String token) {
    Cookie cookie = new Cookie(COOKIE, token);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setSecure(secure(ctx));
    cookie.setMaxAge((int) Tokens.LIFETIME.toSeconds());
    ctx.cookie(cookie);
  }

  /** Signs the browser out. */
  void end(Context ctx) {
    Cookie cookie = new Cookie(COOKIE, "");
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setMaxAge(0);
    ctx.cookie(cookie);
  }

  /**
   * Refuses a state-changing request whose CSRF token is missing or not this session's.
   *
   * @throws ApiException 403
   */
  static void checkCsrf(Context ctx, Session session) {
    String sent = ctx.header(CSRF_HEADER);
    if (sent == null) {
      sent = ctx.formParam(CSRF_FIELD);
    }
    if (sent == null
        || !MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8),
            session.csrf().getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.forbidden(
          "the form's CSRF token is missing or stale: reload the page and try again");
    }
  }

  private static String csrf(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("updraft-csrf:" + token).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }
}
