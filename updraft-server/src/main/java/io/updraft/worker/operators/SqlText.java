package io.updraft.worker.operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL text as the {@code sql} operator takes it: split into statements at semicolons (outside
 * quotes, comments and PostgreSQL's dollar quotes), and named parameters ({@code :name}, as
 * SQLAlchemy's {@code text()} takes them) turned into JDBC's {@code ?} with their values in order.
 */
final class SqlText {
  private SqlText() {}

  /** The statements of {@code sql}, without their terminating semicolons; blank ones dropped. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      int end = skip(sql, i);
      if (end > i) {
        cur.append(sql, i, end);
        i = end - 1;
      } else if (c == ';') {
        add(out, cur);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty() && !onlyComments(s)) {
      out.add(s);
    }
    cur.setLength(0);
  }

  private static boolean onlyComments(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("--[^\n]*", "").isBlank();
  }

  /**
   * If a quoted string, a quoted name, a comment or a dollar-quoted string starts at {@code i}, the
   * index after it; otherwise {@code i}.
   */
  private static int skip(String sql, int i) {
    char c = sql.charAt(i);
    int n = sql.length();
    if (c == '\'' || c == '"' || c == '`') {
      int j = i + 1;
      while (j < n) {
        if (sql.charAt(j) == c) {
          if (j + 1 < n && sql.charAt(j + 1) == c) {
            j += 2; // a doubled quote is part of the string
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return n;
    }
    if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
      int j = sql.indexOf('\n', i);
      return j < 0 ? n : j;
    }
    if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
      int j = sql.indexOf("*/", i + 2);
      return j < 0 ? n : j + 2;
    }
    if (c == '$') {
      int j = i + 1;
      while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
        j++;
      }
      if (j < n && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
        String tag = sql.substring(i, j + 1);
        int close = sql.indexOf(tag, j + 1);
        return close < 0 ? n : close + tag.length();
      }
    }
    return i;
  }

  /** A statement with {@code ?} placeholders and the values for them, in order. */
  record Bound(String sql, List<Object> values) {}

  /**
   * Binds parameters: a list fills {@code ?} in order; a map fills {@code :name} (a {@code ::} cast
   * is left alone). Names the statement does not use are ignored, as a map is shared by all
   * statements; a name it uses that the map lacks is an error.
   */
  static Bound bind(String statement, Object parameters, String connId) {
    if (!(parameters instanceof Map<?, ?> named)) {
      List<Object> values = new ArrayList<>();
      if (parameters instanceof List<?> l) {
        values.addAll(l);
      } else if (parameters != null) {
        values.add(parameters);
      }
      return new Bound(statement, values);
    }
    StringBuilder out = new StringBuilder();
    List<Object> values = new ArrayList<>();
    int n = statement.length();
    for (int i = 0; i < n; i++) {
      int end = skip(statement, i);
      if (end > i) {
        out.append(statement, i, end);
        i = end - 1;
        continue;
      }
      char c = statement.charAt(i);
      if (c == ':' && i + 1 < n && statement.charAt(i + 1) == ':') {
        out.append("::");
        i++;
      } else if (c == ':'
          && i + 1 < n
          && Character.isJavaIdentifierStart(statement.charAt(i + 1))
          && (i == 0 || statement.charAt(i - 1) != ':')) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(statement.charAt(j))) {
          j++;
        }
        String name = statement.substring(i + 1, j);
        if (!named.containsKey(name)) {
          throw new OperatorFailure(
              connId,
              "the statement uses :" + name + " but parameters has no '" + name + "' — add it");
        }
        values.add(named.get(name));
        out.append('?');
        i = j - 1;
      } else {
        out.append(c);
      }
    }
    return new Bound(out.toString(), values);
  }
}
