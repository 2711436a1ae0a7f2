package io.updraft.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a callback sends its notification (SPEC §1.8): a shell command, an HTTP request (a Slack or
 * Teams incoming webhook is one with a JSON body) or an email. Every string is a template rendered
 * with the task's context plus {@code reason} and {@code exception} when the callback runs.
 *
 * <p>{@link #toMap} and {@link #parse} are the one written form, used by DAG files, the Java
 * builder and the serialized DAG alike: {@code {shell: COMMAND}}, {@code {http: {url, method,
 * headers, body}}}, {@code {email: {to, subject, html_content}}}.
 */
public sealed interface Notifier {
  /** The kinds, as written in DAG files. */
  List<String> KINDS = List.of("shell", "http", "email");

  /** The written form: a map with one key, the kind. */
  Map<String, Object> toMap();

  /** {@code bash -c command}; exit 0 is success. */
  record Shell(String command) implements Notifier {
    public Shell {
      Objects.requireNonNull(command, "command");
    }

    @Override
    public Map<String, Object> toMap() {
      return Map.of("shell", command);
    }
  }

  /**
   * One HTTP request; a 2xx status is success.
   *
   * @param method GET, POST (the default when there is a body, else GET), PUT, PATCH, DELETE
   * @param body null, a string, or a map or list sent as JSON
   */
  record Http(String url, String method, Map<String, String> headers, Object body)
      implements Notifier {
    public static final List<String> KEYS = List.of("url", "method", "headers", "body");
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    public Http {
      Objects.requireNonNull(url, "url");
      method = method == null ? (body == null ? "GET" : "POST") : method;
      headers =
          headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", url);
      m.put("method", method);
      m.put("headers", headers);
      m.put("body", body);
      return Map.of("http", Collections.unmodifiableMap(m));
    }
  }

  /** A mail over SMTP (connection {@code smtp_default}). */
  record Email(List<String> to, String subject, String htmlContent) implements Notifier {
    public static final List<String> KEYS = List.of("to", "subject", "html_content");

    public Email {
      to = List.copyOf(to);
      Objects.requireNonNull(subject, "subject");
      htmlContent = htmlContent == null ? "" : htmlContent;
    }

    @Override
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("to", to);
      m.put("subject", subject);
      m.put("html_content", htmlContent);
      return Map.of("email", Collections.unmodifiableMap(m));
    }
  }

  /**
   * Reads one notifier or a list of them from their written form (plain Java values as YAML or JSON
   * give them).
   *
   * @throws IllegalArgumentException saying what is wrong and how to write it
   */
  static List<Notifier> parseAll(Object value) {
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new IllegalArgumentException(
            "the list of notifiers is empty — give at least one, or remove the key");
      }
      List<Notifier> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        try {
          out.add(parse(list.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
        }
      }
      return List.copyOf(out);
    }
    return List.of(parse(value));
  }

  /**
   * Reads one notifier from its written form.
   *
   * @throws IllegalArgumentException saying what is wrong and how to write it
   */
  static Notifier parse(Object value) {
    if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
      throw new IllegalArgumentException(
          "a notifier is a map with one key: {shell: COMMAND}, {http: {url: ...}} or {email: {to:"
              + " ..., subject: ...}}");
    }
    Map.Entry<?, ?> e = map.entrySet().iterator().next();
    String kind = String.valueOf(e.getKey());
    Object v = e.getValue();
    return switch (kind) {
      case "shell" -> {
        if (!(v instanceof String s) || s.isBlank()) {
          throw new IllegalArgumentException("shell: needs the command to run as text");
        }
        yield new Shell(s);
      }
      case "http" -> http(v);
      case "email" -> email(v);
      default ->
          throw new IllegalArgumentException(
              "unknown notifier '"
                  + kind
                  + "' — use shell, http or email"
                  + Suggestions.didYouMean(kind, KINDS, "; "));
    };
  }

  private static Http http(Object v) {
    Map<String, Object> m = fields(v, "http", "url", Http.KEYS);
    if (!(m.get("url") instanceof String url) || url.isBlank()) {
      throw new IllegalArgumentException("http: needs url, the address to send the request to");
    }
    String method = null;
    if (m.get("method") != null) {
      method = String.valueOf(m.get("method")).toUpperCase(java.util.Locale.ROOT);
      if (!Http.METHODS.contains(method)) {
        throw new IllegalArgumentException(
            "http: method '" + m.get("method") + "' — use one of " + Http.METHODS);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = m.get("headers");
    if (h != null) {
      if (!(h instanceof Map<?, ?> hm)) {
        throw new IllegalArgumentException("http: headers must be a map of names to values");
      }
      hm.forEach((k, val) -> headers.put(String.valueOf(k), String.valueOf(val)));
    }
    Object body = m.get("body");
    if (body != null && !(body instanceof String || body instanceof Map || body instanceof List)) {
      body = String.valueOf(body);
    }
    return new Http(url, method, headers, body);
  }

  private static Email email(Object v) {
    Map<String, Object> m = fields(v, "email", "to", Email.KEYS);
    List<String> to = new ArrayList<>();
    Object t = m.get("to");
    if (t instanceof String s && !s.isBlank()) {
      for (String part : s.split("[,;]")) {
        if (!part.isBlank()) {
          to.add(part.trim());
        }
      }
    } else if (t instanceof List<?> l && !l.isEmpty()) {
      l.forEach(x -> to.add(String.valueOf(x)));
    } else {
      throw new IllegalArgumentException("email: needs to, one address or a list of addresses");
    }
    Object subject = m.get("subject");
    if (!(subject instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("email: needs subject");
    }
    Object html = m.get("html_content");
    return new Email(to, s, html == null ? null : String.valueOf(html));
  }

  private static Map<String, Object> fields(
      Object v, String kind, String example, List<String> keys) {
    if (!(v instanceof Map<?, ?> raw)) {
      throw new IllegalArgumentException(kind + ": must be a map, e.g. {" + example + ": ...}");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    raw.forEach((k, val) -> m.put(String.valueOf(k), val));
    for (String k : m.keySet()) {
      if (!keys.contains(k)) {
        throw new IllegalArgumentException(
            kind
                + ": unknown key '"
                + k
                + "' — use "
                + String.join(", ", keys)
                + Suggestions.didYouMean(k, keys, "; "));
      }
    }
    return m;
  }
}
