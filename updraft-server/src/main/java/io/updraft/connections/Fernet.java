package io.updraft.connections;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Fernet key, as the Fernet specification (version 0x80) defines it and Python's {@code
 * cryptography} implements it — the format Airflow stores connection passwords in, so a value
 * Airflow encrypted decrypts here and the other way round.
 *
 * <p>A key is 32 bytes in URL-safe base 64: a 16-byte signing key, then a 16-byte AES-128 key. A
 * token is the URL-safe base 64 of {@code 0x80 ‖ timestamp (8 bytes, big-endian seconds) ‖ IV (16)
 * ‖ AES-128-CBC ciphertext with PKCS#7 padding ‖ HMAC-SHA256 of everything before it}. Tokens never
 * expire here (Airflow decrypts with no TTL).
 */
public final class Fernet {
  private static final byte VERSION = (byte) 0x80;
  private static final int HEADER = 1 + 8 + 16;
  private static final int MAC_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec signingKey;
  private final SecretKeySpec encryptionKey;

  private Fernet(byte[] key) {
    this.signingKey = new SecretKeySpec(Arrays.copyOfRange(key, 0, 16), "HmacSHA256");
    this.encryptionKey = new SecretKeySpec(Arrays.copyOfRange(key, 16, 32), "AES");
  }

  /**
   * The key written as text (URL-safe base 64 of 32 bytes, as {@code Fernet.generate_key()}
   * prints).
   *
   * @throws IllegalArgumentException saying what is wrong, never repeating the key
   */
  public static Fernet of(String key) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a Fernet key must be URL-safe base 64");
    }
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "a Fernet key must be 32 bytes in URL-safe base 64 (44 characters), not "
              + bytes.length
              + " bytes");
    }
    return new Fernet(bytes);
  }

  /** A new random key, as text. */
  public static String generateKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getUrlEncoder().encodeToString(key);
  }

  /** Encrypts with a random IV and the current time. */
  public String encrypt(byte[] message) {
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    return encrypt(message, Instant.now(), iv);
  }

  /** Encrypts with the given time and IV: deterministic, for the specification's test vectors. */
  String encrypt(byte[] message, Instant now, byte[] iv) {
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS#5 in Java is PKCS#7 for AES
      aes.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
      byte[] ciphertext = aes.doFinal(message);
      ByteBuffer token = ByteBuffer.allocate(HEADER + ciphertext.length + MAC_LENGTH);
      token.put(VERSION).putLong(now.getEpochSecond()).put(iv).put(ciphertext);
      token.put(mac(token.array(), HEADER + ciphertext.length));
      return Base64.getUrlEncoder().encodeToString(token.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot run AES-128-CBC or HMAC-SHA256", e);
    }
  }

  /**
   * Decrypts a token made with this key.
   *
   * @throws InvalidTokenException when the token is malformed or was made with another key
   */
  public byte[] decrypt(String token) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("not a Fernet token (bad base 64)");
    }
    int cipherLength = bytes.length - HEADER - MAC_LENGTH;
    if (cipherLength < 16 || cipherLength % 16 != 0 || bytes[0] != VERSION) {
      throw new InvalidTokenException("not a Fernet token");
    }
    byte[] expected = mac(bytes, bytes.length - MAC_LENGTH);
    byte[] actual = Arrays.copyOfRange(bytes, bytes.length - MAC_LENGTH, bytes.length);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new InvalidTokenException("the token was not made with this key");
    }
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(bytes, 9, 16));
      return aes.doFinal(bytes, HEADER, cipherLength);
    } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
      throw new InvalidTokenException("the token's padding is broken");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot run AES-128-CBC", e);
    }
  }

  private byte[] mac(byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signingKey);
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot run HMAC-SHA256", e);
    }
  }

  /** A token that this key cannot open: malformed, tampered with, or made with another key. */
  public static final class InvalidTokenException extends RuntimeException {
    InvalidTokenException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "Fernet[***]";
  }
}
