package io.updraft.connections;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces secrets by {@code ***} in text a try writes: its log lines, its rendered command, its
 * error message. The try's connection and variable lookups feed it each secret as they reveal it
 * (Airflow's {@code mask_secret}); a value shorter than {@value #MIN_LENGTH} characters is not
 * masked, as in Airflow, since masking "a" or "no" would garble every line. Thread-safe: an
 * operator's threads and the log pump use one masker.
 *
 * <p>Masking is per piece of text: a secret split across two writes (a log line longer than the log
 * writer's buffer) is not found (decisions/0063).
 */
public final class SecretMasker {
  /** Airflow's {@code min_length_to_mask}. */
  public static final int MIN_LENGTH = 3;

  public static final String MASK = "***";

  private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private volatile List<String> longestFirst = List.of();
  private volatile List<byte[]> longestFirstBytes = List.of();

  /** A masker that knows no secret yet. */
  public SecretMasker() {}

  /**
   * Adds a secret (ignored when null or shorter than {@link #MIN_LENGTH}), and its JSON-escaped
   * form, which {@code --output json} and XCom JSON would print.
   */
  public synchronized void add(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH || !secrets.add(secret)) {
      return;
    }
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
    if (!escaped.equals(secret)) {
      secrets.add(escaped);
    }
    // A multi-line secret (a private key) reaches a log one line at a time.
    secret
        .lines()
        .filter(l -> l.strip().length() >= MIN_LENGTH)
        .map(String::strip)
        .forEach(secrets::add);
    // Longest first, so a secret that contains another is masked whole.
    longestFirst =
        secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    longestFirstBytes = longestFirst.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Adds the secrets of a connection: its password and every sensitive extra field. */
  public void add(Connection c) {
    add(c.password());
    addSensitive(c.extra());
  }

  /** Adds a variable's value when its key looks secret, and any sensitive field of its JSON. */
  public void addVariable(String key, String value) {
    if (SensitiveKeys.isSensitive(key)) {
      add(value);
    } else if (value != null && value.stripLeading().startsWith("{")) {
      try {
        addSensitive(JSON.readValue(value, MAP));
      } catch (java.io.IOException e) {
        // not a JSON object: nothing nested to mask
      }
    }
  }

  private void addSensitive(Map<String, Object> fields) {
    fields.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> nested) {
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) nested;
            addSensitive(inner);
          } else if (SensitiveKeys.isSensitive(k) && v != null) {
            add(String.valueOf(v));
          }
        });
  }

  /** Adds every secret of another collection. */
  public void addAll(Collection<String> more) {
    more.forEach(this::add);
  }

  /** Whether no secret is known: the log writer can skip the work. */
  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /**
   * The bytes {@code b[off, off + len)} with every known secret (as UTF-8) replaced by {@value
   * #MASK}, or null when none occurs there — the caller then writes its bytes as they are. For
   * output that is not known to be UTF-8: no decoding, so nothing else changes.
   */
  public byte[] mask(byte[] b, int off, int len) {
    List<byte[]> all = longestFirstBytes;
    if (all.isEmpty()) {
      return null;
    }
    byte[] current = null;
    for (byte[] secret : all) {
      byte[] src = current == null ? b : current;
      int from = current == null ? off : 0;
      int to = current == null ? off + len : current.length;
      int at = indexOf(src, from, to, secret);
      if (at < 0) {
        continue;
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(to - from);
      int i = from;
      while (at >= 0) {
        out.write(src, i, at - i);
        out.write(MASK_BYTES, 0, MASK_BYTES.length);
        i = at + secret.length;
        at = indexOf(src, i, to, secret);
      }
      out.write(src, i, to - i);
      current = out.toByteArray();
    }
    return current;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] what) {
    byte first = what[0];
    for (int i = from; i <= to - what.length; i++) {
      if (b[i] != first) {
        continue;
      }
      int k = 1;
      while (k < what.length && b[i + k] == what[k]) {
        k++;
      }
      if (k == what.length) {
        return i;
      }
    }
    return -1;
  }

  /** The text with every known secret replaced by {@value #MASK}; null stays null. */
  public String mask(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret : longestFirst) {
      if (masked.contains(secret)) {
        masked = masked.replace(secret, MASK);
      }
    }
    return masked;
  }
}
