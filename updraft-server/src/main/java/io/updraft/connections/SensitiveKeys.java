package io.updraft.connections;

import java.util.List;
import java.util.Locale;

/**
 * Which names hold secrets (SPEC §1.7): a variable key or an extra field whose name contains {@code
 * password}, {@code secret}, {@code token}, {@code api_key}, {@code private_key} or {@code
 * passphrase}, in any case — Airflow's {@code DEFAULT_SENSITIVE_FIELDS}, less those the list
 * already covers.
 */
public final class SensitiveKeys {
  private static final List<String> PARTS =
      List.of("password", "secret", "token", "api_key", "private_key", "passphrase");

  private SensitiveKeys() {}

  public static boolean isSensitive(String name) {
    if (name == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return PARTS.stream().anyMatch(lower::contains);
  }
}
