package io.updraft.api;

import java.util.List;

/** {@code POST /auth/token}: a username and password for a bearer token (SPEC §3). */
final class AuthRoutes {
  private AuthRoutes() {}

  /** The sign-in body. */
  public record TokenBody(String username, String password) {
    public TokenBody {
      if (username == null || username.isBlank()) {
        throw ApiException.unprocessable("username: required");
      }
      if (password == null) {
        throw ApiException.unprocessable("password: required");
      }
    }
  }

  /** A token and how many seconds it is good for. */
  public record TokenResponse(String accessToken, String tokenType, long expiresIn) {}

  static List<Route> routes(SignIn signIn) {
    return List.of(
        Route.post(
                "/auth/token",
                null,
                "Get an access token for a username and password",
                TokenBody.class,
                TokenResponse.class,
                (ctx, caller) -> {
                  TokenBody body = Bodies.read(ctx, TokenBody.class);
                  return new TokenResponse(
                      signIn.token(body.username(), body.password()),
                      "bearer",
                      signIn.lifetime().toSeconds());
                })
            .withStatus(201));
  }
}
