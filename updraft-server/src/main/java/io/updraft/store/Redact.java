package io.updraft.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes secrets from what Updraft prints about a database. */
final class Redact {
  /** {@code //user:secret@host} in a URL's authority. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/?;:@]*):[^/?;@]*@");

  /**
   * A parameter whose name ends in "password" ({@code password}, {@code sslpassword}, H2's {@code
   * FILE_PASSWORD}...), with its separator, in {@code ?a=b&c=d} or {@code ;A=B} form.
   */
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)[?&;][a-z_]*password=[^&;]*");

  private static final Pattern USER_INFO_SECRET = Pattern.compile("//[^/?;:@]*:([^/?;@]*)@");
  private static final Pattern PASSWORD_VALUE =
      Pattern.compile("(?i)[?&;][a-z_]*password=([^&;]*)");

  private Redact() {}

  /** The URL with any user-info password and password parameters removed. */
  static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "<no URL>";
    }
    String withoutUserInfo = USER_INFO_PASSWORD.matcher(jdbcUrl).replaceAll("$1@");
    String stripped = PASSWORD_PARAMETER.matcher(withoutUserInfo).replaceAll("");
    // Removing the first parameter after '?' leaves "&next=..." behind: put the '?' back.
    int query = withoutUserInfo.indexOf('?');
    if (query >= 0 && stripped.indexOf('?') < 0) {
      int amp = stripped.indexOf('&', Math.min(query, stripped.length()));
      if (amp >= 0) {
        stripped = stripped.substring(0, amp) + "?" + stripped.substring(amp + 1);
      }
    }
    return stripped;
  }

  /** The passwords written in a URL (user-info and parameters), for masking driver messages. */
  static List<String> secretsIn(String jdbcUrl) {
    List<String> secrets = new ArrayList<>();
    if (jdbcUrl == null) {
      return secrets;
    }
    Matcher userInfo = USER_INFO_SECRET.matcher(jdbcUrl);
    while (userInfo.find()) {
      secrets.add(userInfo.group(1));
    }
    Matcher parameter = PASSWORD_VALUE.matcher(jdbcUrl);
    while (parameter.find()) {
      secrets.add(parameter.group(1));
    }
    secrets.removeIf(String::isEmpty);
    return secrets;
  }

  /** The text with every occurrence of each secret replaced by {@code ***}. */
  static String text(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, "***");
      }
    }
    return masked;
  }
}
