package io.updraft.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.updraft.store.ApiSecretRepository;
import io.updraft.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Access tokens: JWTs signed with HMAC-SHA256 by a key every API server on the database shares
 * (decisions/0089). The key is made by the first server that starts and kept in {@code api_secret};
 * a token names its user ({@code sub}) and role and expires after {@link #LIFETIME}, so a deleted
 * user or a changed role takes effect within that time at the latest.
 */
public final class Tokens {
  /** How long a token is good for: Airflow's default {@code jwt_expiration_time} (24 h). */
  public static final Duration LIFETIME = Duration.ofHours(24);

  static final String KEY_NAME = "jwt_signing_key";
  private static final String ISSUER = "updraft";

  private final Algorithm algorithm;
  private final Clock clock;
  private final Duration lifetime;

  Tokens(byte[] key, Clock clock) {
    this(key, clock, LIFETIME);
  }

  Tokens(byte[] key, Clock clock, Duration lifetime) {
    this.algorithm = Algorithm.HMAC256(key);
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** The tokens of this database: its signing key, made now if it has none yet. */
  public static Tokens of(Database db, Clock clock) {
    return of(db, clock, LIFETIME);
  }

  /**
   * As {@link #of(Database, Clock)}, with tokens good for {@code lifetime} ({@code
   * api_auth.jwt_expiration_time}).
   */
  public static Tokens of(Database db, Clock clock, Duration lifetime) {
    return new Tokens(signingKey(db, clock), clock, lifetime);
  }

  /** How long a token issued now is good for. */
  public Duration lifetime() {
    return lifetime;
  }

  /** The database's signing key, made now if it has none yet: access and task tokens share it. */
  static byte[] signingKey(Database db, Clock clock) {
    String key =
        new ApiSecretRepository(db)
            .getOrCreate(
                KEY_NAME,
                () -> {
                  byte[] bytes = new byte[64];
                  new SecureRandom().nextBytes(bytes);
                  return Base64.getEncoder().encodeToString(bytes);
                },
                clock.instant());
    return Base64.getDecoder().decode(key);
  }

  /** A signed token for this user. */
  public String issue(Caller caller) {
    Instant now = clock.instant();
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(caller.username())
        .withClaim("role", caller.role().id())
        .withIssuedAt(now)
        .withExpiresAt(now.plus(lifetime))
        .sign(algorithm);
  }

  /**
   * Who a token belongs to.
   *
   * @throws ApiException 401 when it is not one of ours, was altered, or has expired
   */
  public Caller verify(String token) {
    DecodedJWT jwt;
    try {
      jwt =
          ((JWTVerifier.BaseVerification)
                  JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence("role"))
              .build(clock) // the injected clock decides expiry, so tests need not wait
              .verify(token);
    } catch (TokenExpiredException e) {
      throw ApiException.unauthorized("the token has expired: get a new one from POST /auth/token");
    } catch (JWTVerificationException e) {
      throw ApiException.unauthorized(
          "the token is not valid (not issued by this Updraft, or altered): get one from POST"
              + " /auth/token");
    }
    Role role;
    try {
      role = Role.parse(jwt.getClaim("role").asString());
    } catch (RuntimeException e) {
      throw ApiException.unauthorized("the token names no known role: get a new one");
    }
    return new Caller(jwt.getSubject(), role);
  }

  private static final String LOG_ISSUER = "updraft-log";

  /**
   * A log continuation token: where the next read of one try's log starts, signed with the key of
   * the access tokens so a client can neither forge a position nor move one to another log.
   *
   * @param log names the try ({@code dag/run/task/map_index/try})
   */
  String logToken(String log, long position) {
    return JWT.create()
        .withIssuer(LOG_ISSUER)
        .withSubject(log)
        .withClaim("pos", position)
        .sign(algorithm);
  }

  /**
   * The position a log continuation token holds.
   *
   * @throws ApiException 400 when the token is not one this database signed for this try's log
   */
  long logPosition(String token, String log) {
    DecodedJWT jwt;
    try {
      jwt = JWT.require(algorithm).withIssuer(LOG_ISSUER).withSubject(log).build().verify(token);
    } catch (JWTVerificationException e) {
      throw ApiException.badRequest(
          "token: not a continuation token of this log (start without one to read from the"
              + " beginning)");
    }
    Long pos = jwt.getClaim("pos").asLong();
    if (pos == null || pos < 0) {
      throw ApiException.badRequest("token: holds no position");
    }
    return pos;
  }
}
