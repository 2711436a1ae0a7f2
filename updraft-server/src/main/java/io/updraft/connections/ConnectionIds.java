package io.updraft.connections;

import io.updraft.UpdraftException;
import java.util.regex.Pattern;

/**
 * Airflow's rule for connection ids and variable keys given on the command line or through the API
 * ({@code validate_key}): letters, digits, {@code _}, {@code -} and {@code .}, at most 250
 * characters.
 */
public final class ConnectionIds {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1,250}");

  private ConnectionIds() {}

  public static void require(String id) {
    if (id == null || !KEY.matcher(id).matches()) {
      throw new UpdraftException(
          "'"
              + id
              + "' is not a valid id: use letters, digits, '_', '-' and '.' (at most 250"
              + " characters)");
    }
  }
}
