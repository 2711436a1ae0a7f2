package io.updraft.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.updraft.UpdraftException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Passwords: bcrypt hashes (cost 12) made and checked with a maintained library, and random
 * passwords for users created without one. A password is never stored, logged or returned.
 */
public final class Passwords {
  private static final int COST = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  /** bcrypt reads at most 72 bytes; a longer password would be cut without a word. */
  static final int MAX_BYTES = 72;

  /**
   * A hash of {@code password} that was never checked against: sign-ins of unknown users check
   * this, so they take as long as those of known ones and do not tell which usernames exist.
   */
  private static final String DUMMY = hash("not a password of anyone");

  private Passwords() {}

  public static String hash(String password) {
    requireAcceptable(password);
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  public static boolean matches(String password, String hash) {
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    return BCrypt.verifyer()
        .verify(password.toCharArray(), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  /** Spends the time of one check, for a user that does not exist. */
  static void checkNothing(String password) {
    matches(password == null ? "" : password, DUMMY);
  }

  /** A new random password: 20 letters and digits (about 116 bits), none easily misread. */
  public static String random() {
    StringBuilder b = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return b.toString();
  }

  /** A password a user may choose: 8 to 72 bytes. */
  public static void requireAcceptable(String password) {
    if (password == null || password.length() < 8) {
      throw new UpdraftException("the password is too short: use at least 8 characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new UpdraftException(
          "the password is longer than " + MAX_BYTES + " bytes, which bcrypt cannot check");
    }
  }
}
