package io.updraft.dag;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an asset URI in a task's {@code outlets} (and in {@code POST /api/v2/assets/events}) may be,
 * after Airflow's Asset rules: 1 to 1,500 ASCII characters without whitespace; a URI with a scheme
 * ({@code s3://bucket/key}, {@code file:///data/x.csv}, {@code postgres://db/schema/table}) or a
 * plain name ({@code daily_orders}); the scheme {@code airflow} is reserved. Nothing is fetched or
 * resolved: the URI is an identifier.
 */
public final class AssetUris {
  /** Airflow's limit on an asset's name and URI. */
  public static final int MAX_LENGTH = 1500;

  /** RFC 3986's scheme, before {@code :}, when the URI has an authority ({@code //}). */
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  private AssetUris() {}

  /** Why {@code uri} is not a valid asset URI, or empty when it is. */
  public static Optional<String> problem(String uri) {
    if (uri == null || uri.isEmpty()) {
      return Optional.of("an asset URI cannot be empty — write e.g. s3://bucket/key or a name");
    }
    if (uri.length() > MAX_LENGTH) {
      return Optional.of(
          "the asset URI is "
              + uri.length()
              + " characters long — use at most "
              + MAX_LENGTH
              + " (Airflow's limit)");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return Optional.of(
            "the asset URI '"
                + uri.strip()
                + "' contains whitespace or a control character — percent-encode it (%20) or"
                + " remove it");
      }
      if (c > 127) {
        return Optional.of(
            "the asset URI '"
                + uri
                + "' has a non-ASCII character — percent-encode it (Airflow allows ASCII only)");
      }
    }
    int sep = uri.indexOf("://");
    if (sep >= 0) {
      String scheme = uri.substring(0, sep);
      if (!SCHEME.matcher(scheme).matches()) {
        return Optional.of(
            "the asset URI '"
                + uri
                + "' has no valid scheme before :// — a scheme is a letter, then letters, digits,"
                + " '+', '-' or '.' (s3://, file://, postgres://)");
      }
      if (scheme.equalsIgnoreCase("airflow")) {
        return Optional.of(
            "the asset URI '" + uri + "' uses the scheme airflow://, which Airflow reserves");
      }
    }
    return Optional.empty();
  }

  /** {@code uri} when it is valid; an {@link IllegalArgumentException} saying why otherwise. */
  public static String require(String uri) {
    problem(uri)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return uri;
  }
}
