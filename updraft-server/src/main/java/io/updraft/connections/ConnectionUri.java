package io.updraft.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Airflow's URI form of a connection ({@code Connection.from_uri} in Airflow 2.10), as {@code
 * UPDRAFT_CONN_<ID>} and {@code connections add --conn-uri} take it: {@code
 * conn-type://login:password@host:port/schema?key=value}.
 *
 * <ul>
 *   <li>The scheme is the {@code conn_type}; {@code postgresql} becomes {@code postgres} and {@code
 *       -} becomes {@code _} ({@code google-cloud-platform} → {@code google_cloud_platform}).
 *   <li>Login, password, host and schema (the path without its first {@code /}) are
 *       percent-decoded; the host is lower-cased as Python's {@code urlsplit} does, unless it holds
 *       an encoded {@code /}.
 *   <li>The query becomes the extra ({@code ?a=1&b=x} → {@code {"a": "1", "b": "x"}}, values as
 *       text, {@code +} a space), or, when it has {@code __extra__}, that parameter's JSON.
 *   <li>A host that is itself a URL keeps its protocol: {@code http://https://host:443/x} has host
 *       {@code https://host}; the protocol may hold neither {@code @} nor {@code :}.
 * </ul>
 *
 * <p>Errors never repeat the URI: it may hold a password.
 */
public final class ConnectionUri {
  /** The query parameter holding the whole extra as JSON. */
  public static final String EXTRA_KEY = "__extra__";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*");

  private ConnectionUri() {}

  /**
   * Parses a URI.
   *
   * @throws IllegalArgumentException saying what is wrong, without the URI's text
   */
  public static Connection parse(String connId, String uri) {
    String text = uri.strip();
    int schemes = count(text, "://");
    if (schemes == 0) {
      throw new IllegalArgumentException(
          "it is not a connection URI: write conn-type://login:password@host:port/schema");
    }
    if (schemes > 2) {
      throw new IllegalArgumentException(
          "it has more than two '://': only the host may carry a protocol"
              + " (conn-type://protocol://host)");
    }
    String scheme = text.substring(0, text.indexOf("://"));
    if (!SCHEME.matcher(scheme).matches()) {
      throw new IllegalArgumentException(
          "its conn-type '"
              + scheme
              + "' is not a URI scheme: letters, digits, '+', '-' and '.' starting with a letter");
    }
    boolean hostWithProtocol = schemes == 2;
    // As Airflow: every "<scheme>://" goes, so the rest parses as a network path ("//...").
    String rest = text.replace(scheme + "://", hostWithProtocol ? "" : "//");
    String protocol = null;
    if (hostWithProtocol) {
      int sep = rest.indexOf("://");
      protocol = rest.substring(0, sep);
      if (protocol.contains("@") || protocol.contains(":")) {
        throw new IllegalArgumentException(
            "the host's protocol cannot hold '@' or ':' — percent-encode them in the login or"
                + " password");
      }
      rest = rest.substring(sep + 1); // "//host..."
    }
    Split parts = Split.of(rest);
    String host = hostname(parts);
    if (host != null && !host.isEmpty() && protocol != null) {
      host = protocol.toLowerCase(Locale.ROOT) + "://" + host;
    }
    String schema = parts.path.isEmpty() ? "" : decode(parts.path.substring(1));
    return new Connection(
        connId,
        normalizeType(scheme.toLowerCase(Locale.ROOT)),
        emptyToNull(host),
        parts.port(),
        emptyToNull(parts.username() == null ? null : decode(parts.username())),
        emptyToNull(parts.password() == null ? null : decode(parts.password())),
        emptyToNull(schema),
        extra(parts.query));
  }

  /** Airflow's conn_type normalisation. */
  public static String normalizeType(String connType) {
    if ("postgresql".equals(connType)) {
      return "postgres";
    }
    return connType.replace('-', '_');
  }

  /** Python's {@code urlsplit(...).hostname}, with Airflow's rule for an encoded {@code /}. */
  private static String hostname(Split parts) {
    String hostPort = parts.hostPort();
    String host = hostPort;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      host = close < 0 ? host.substring(1) : host.substring(1, close);
    } else if (host.contains(":")) {
      host = host.substring(0, host.indexOf(':'));
    }
    String decoded = decode(host.toLowerCase(Locale.ROOT));
    if (decoded.contains("/")) {
      // Airflow keeps the case of a host that holds a path (an encoded URL).
      decoded = decode(host);
    }
    return decoded;
  }

  private static Map<String, Object> extra(String query) {
    if (query == null || query.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = queryDecode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : queryDecode(pair.substring(eq + 1));
      params.put(key, value);
    }
    Object json = params.get(EXTRA_KEY);
    if (json == null) {
      return params;
    }
    try {
      Object parsed = JSON.readValue(json.toString(), Object.class);
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException(EXTRA_KEY + " must be a JSON object");
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      map.forEach((k, v) -> extra.put(String.valueOf(k), v));
      return extra;
    } catch (JsonProcessingException e) {
      // Not Jackson's message: it quotes the text, which may be a secret.
      throw new IllegalArgumentException(EXTRA_KEY + " is not valid JSON");
    }
  }

  /** Python's {@code unquote}: {@code %XX} escapes as UTF-8; a broken escape stays as written. */
  private static String decode(String s) {
    return percentDecode(s, false);
  }

  /** Python's {@code parse_qsl} decoding: as {@link #decode}, and {@code +} is a space. */
  private static String queryDecode(String s) {
    return percentDecode(s, true);
  }

  private static String percentDecode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
        continue;
      }
      flush(bytes, out);
      out.append(plusIsSpace && c == '+' ? ' ' : c);
    }
    flush(bytes, out);
    return out.toString();
  }

  private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(bytes.toString(StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** Python's {@code urlsplit} of a network path {@code //netloc/path?query#fragment}. */
  private record Split(String netloc, String path, String query) {
    static Split of(String rest) {
      String s = rest.startsWith("//") ? rest.substring(2) : rest;
      int hash = s.indexOf('#');
      if (hash >= 0) {
        s = s.substring(0, hash);
      }
      int end = indexOfAny(s, "/?");
      String netloc = end < 0 ? s : s.substring(0, end);
      String tail = end < 0 ? "" : s.substring(end);
      int q = tail.indexOf('?');
      String path = q < 0 ? tail : tail.substring(0, q);
      String query = q < 0 ? "" : tail.substring(q + 1);
      return new Split(netloc, path, query);
    }

    private String userInfo() {
      int at = netloc.lastIndexOf('@');
      return at < 0 ? null : netloc.substring(0, at);
    }

    String username() {
      String info = userInfo();
      if (info == null) {
        return null;
      }
      int colon = info.indexOf(':');
      return colon < 0 ? info : info.substring(0, colon);
    }

    String password() {
      String info = userInfo();
      if (info == null || info.indexOf(':') < 0) {
        return null;
      }
      return info.substring(info.indexOf(':') + 1);
    }

    String hostPort() {
      return netloc.substring(netloc.lastIndexOf('@') + 1);
    }

    Integer port() {
      String hp = hostPort();
      int close = hp.lastIndexOf(']');
      int colon = hp.indexOf(':', Math.max(close, 0));
      if (colon < 0 || colon == hp.length() - 1) {
        return null;
      }
      String text = hp.substring(colon + 1);
      if (!text.chars().allMatch(c -> c >= '0' && c <= '9') || text.length() > 5) {
        throw new IllegalArgumentException("its port is not a number from 0 to 65535");
      }
      int port = Integer.parseInt(text);
      if (port > 65535) {
        throw new IllegalArgumentException("its port is not a number from 0 to 65535");
      }
      return port;
    }

    private static int indexOfAny(String s, String chars) {
      for (int i = 0; i < s.length(); i++) {
        if (chars.indexOf(s.charAt(i)) >= 0) {
          return i;
        }
      }
      return -1;
    }
  }
}
