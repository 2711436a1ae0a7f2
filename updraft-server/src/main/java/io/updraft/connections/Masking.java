package io.updraft.connections;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a listing may show of a secret (SPEC §1.7), once for the CLI, the REST API and the UI: a
 * secret-looking variable's value and every secret-looking field of a value or an extra (at any
 * depth) as {@value SecretMasker#MASK}, and a connection's password masked wherever else it appears
 * (a JDBC URL in the host, a field of the extra).
 */
public final class Masking {
  private Masking() {}

  /** A variable's value as listings show it; null stays null. */
  public static String variable(String key, String value) {
    if (value == null) {
      return null;
    }
    if (SensitiveKeys.isSensitive(key)) {
      return SecretMasker.MASK;
    }
    SecretMasker masker = new SecretMasker();
    masker.addVariable(key, value);
    return masker.mask(value);
  }

  /** A masker that knows a connection's password and secret extra fields. */
  public static SecretMasker of(Connection c) {
    SecretMasker masker = new SecretMasker();
    masker.add(c);
    return masker;
  }

  /** A map whose sensitive fields (at any depth) are {@code ***}, and known secrets masked. */
  public static Map<String, Object> fields(Map<String, Object> fields, SecretMasker masker) {
    Map<String, Object> out = new LinkedHashMap<>();
    fields.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> nested) {
            Map<String, Object> inner = new LinkedHashMap<>();
            nested.forEach((nk, nv) -> inner.put(String.valueOf(nk), nv));
            out.put(k, fields(inner, masker));
          } else if (SensitiveKeys.isSensitive(k) && v != null) {
            out.put(k, SecretMasker.MASK);
          } else {
            out.put(k, v instanceof String s ? masker.mask(s) : v);
          }
        });
    return out;
  }
}
