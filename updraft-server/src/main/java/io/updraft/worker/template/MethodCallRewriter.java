package io.updraft.worker.template;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes Airflow's call syntax with named arguments, {@code ti.xcom_pull(task_ids='a')}, parse in
 * Pebble, whose parser refuses named arguments in method calls. Inside {@code {{ }}} and {@code {%
 * %}} (outside string literals), a call {@code obj.method(} on a context object that has methods
 * becomes {@code updraft_call(obj, 'method', ...)}, a function, for which Pebble does allow named
 * arguments. Text outside tags and comments is never changed, and no line breaks are added, so line
 * numbers in errors stay right.
 */
final class MethodCallRewriter {

  /** The function the rewritten calls go through (see {@link UpdraftPebbleExtension}). */
  static final String FUNCTION = "updraft_call";

  private static final Pattern CALL =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\(\\s*");

  private MethodCallRewriter() {}

  /**
   * @param receivers the root names whose method calls are rewritten (context objects with methods)
   */
  static String rewrite(String template, Set<String> receivers) {
    if (!template.contains("(")) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    Matcher m = CALL.matcher(template);
    int i = 0;
    int n = template.length();
    while (i < n) {
      if (template.startsWith("{#", i)) {
        int end = template.indexOf("#}", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(template, i, end);
        i = end;
      } else if (template.startsWith("{{", i) || template.startsWith("{%", i)) {
        out.append(template, i, i + 2);
        i = rewriteCode(template, i + 2, receivers, m, out);
      } else {
        out.append(template.charAt(i++));
      }
    }
    return out.toString();
  }

  /** Copies one tag's code from {@code i} to its closing delimiter; returns the index after it. */
  private static int rewriteCode(
      String t, int i, Set<String> receivers, Matcher m, StringBuilder out) {
    int n = t.length();
    char quote = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (quote != 0) {
        out.append(c);
        if (c == '\\' && i + 1 < n) {
          out.append(t.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
        i++;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        out.append(c);
        i++;
        continue;
      }
      if ((c == '}' || c == '%') && i + 1 < n && t.charAt(i + 1) == '}') {
        out.append(c).append('}');
        return i + 2;
      }
      boolean wordStart =
          Character.isLetter(c) || c == '_'
              ? i == 0 || !(isWordChar(t.charAt(i - 1)) || t.charAt(i - 1) == '.')
              : false;
      if (wordStart && m.region(i, n).lookingAt() && receivers.contains(m.group(1))) {
        out.append(FUNCTION).append('(').append(m.group(1)).append(", '").append(m.group(2));
        out.append('\'');
        i = m.end();
        out.append(i < n && t.charAt(i) == ')' ? "" : ", ");
        // Keep the line breaks the match spanned, so error line numbers stay right.
        m.group().chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
        continue;
      }
      out.append(c);
      i++;
    }
    return i;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
