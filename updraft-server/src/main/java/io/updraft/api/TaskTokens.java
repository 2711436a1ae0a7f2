package io.updraft.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.updraft.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Task tokens (decisions/0149): short-lived JWTs that name one try of one task instance, signed
 * with the key of the access tokens. The execution API gives one with each claimed try, and renews
 * it on every heartbeat; a Kubernetes pod gets one from its executor. A task token may heartbeat,
 * ship logs, push XComs and end only its own try, and read what a try reads (XComs, connections,
 * variables); it may not claim, nor call anything outside {@code /execution}.
 */
public final class TaskTokens {
  /** How long a task token is good for: renewed by each heartbeat, so a dead try's expires soon. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  static final String ISSUER = "updraft-task";

  /** The try a task token names. */
  public record Scope(long taskInstanceId, int tryNumber) {}

  private final Algorithm algorithm;
  private final Clock clock;

  TaskTokens(byte[] key, Clock clock) {
    this.algorithm = Algorithm.HMAC256(key);
    this.clock = clock;
  }

  /** The task tokens of this database (its signing key, made now if it has none yet). */
  public static TaskTokens of(Database db, Clock clock) {
    return new TaskTokens(Tokens.signingKey(db, clock), clock);
  }

  /**
   * A token for try {@code tryNumber} (1-based: the try it runs) of task instance {@code
   * taskInstanceId}, good for {@code ttl}.
   */
  public String issue(long taskInstanceId, int tryNumber, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a task token's ttl must be positive, not " + ttl);
    }
    Instant now = clock.instant();
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(Long.toString(taskInstanceId))
        .withClaim("try", tryNumber)
        .withIssuedAt(now)
        .withExpiresAt(now.plus(ttl))
        .sign(algorithm);
  }

  /** Whether a bearer token claims to be a task token (before it is verified). */
  static boolean isTaskToken(String token) {
    try {
      return ISSUER.equals(JWT.decode(token).getIssuer());
    } catch (JWTDecodeException e) {
      return false;
    }
  }

  /**
   * The try a task token names.
   *
   * @throws ApiException 401 when it is not one of ours, was altered, or has expired
   */
  public Scope verify(String token) {
    DecodedJWT jwt;
    try {
      jwt =
          ((JWTVerifier.BaseVerification)
                  JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence("try"))
              .build(clock)
              .verify(token);
    } catch (TokenExpiredException e) {
      throw ApiException.unauthorized(
          "the task token has expired: a try's token is renewed by its heartbeats");
    } catch (JWTVerificationException e) {
      throw ApiException.unauthorized("the task token is not valid (not issued here, or altered)");
    }
    Integer tryNumber = jwt.getClaim("try").asInt();
    long id;
    try {
      id = Long.parseLong(jwt.getSubject());
    } catch (NumberFormatException e) {
      throw ApiException.unauthorized("the task token names no task instance");
    }
    if (tryNumber == null || tryNumber < 1) {
      throw ApiException.unauthorized("the task token names no try");
    }
    return new Scope(id, tryNumber);
  }
}
