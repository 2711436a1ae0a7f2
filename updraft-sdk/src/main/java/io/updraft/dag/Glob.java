package io.updraft.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file pattern as a sensor's {@code file} condition writes it: {@code *} and {@code ?} within one
 * path segment, {@code [abc]} / {@code [a-z]} / {@code [!a]} character classes, {@code {a,b}}
 * alternatives, and {@code **} for any number of folders (also none: {@code in/**}{@code /x.csv}
 * matches {@code in/x.csv}, as Python's recursive glob does). Checked when the DAG file is read
 * ({@link #problem}) and matched against paths with {@code /} separators when the sensor checks.
 */
public final class Glob {
  private final String pattern;
  private final Pattern regex;
  private final int literalSegments;
  private final boolean recursive;

  private Glob(String pattern, Pattern regex, int literalSegments, boolean recursive) {
    this.pattern = pattern;
    this.regex = regex;
    this.literalSegments = literalSegments;
    this.recursive = recursive;
  }

  /** Whether {@code text} uses any pattern character; a plain path is looked up as it is. */
  public static boolean isPattern(String text) {
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return true;
      }
    }
    return false;
  }

  /** What is wrong with {@code text} as a pattern, one line; null when it is a good one. */
  public static String problem(String text) {
    try {
      compile(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException one line saying what is wrong (an unclosed {@code [} or {@code
   *     {}, a nested {@code {})
   */
  public static Glob compile(String text) {
    StringBuilder re = new StringBuilder();
    int group = -1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
            boolean slash = i + 2 < text.length() && text.charAt(i + 2) == '/';
            re.append(slash ? "(?:.*/)?" : ".*");
            i += slash ? 3 : 2;
            continue;
          }
          re.append("[^/]*");
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = classEnd(text, i);
          if (end < 0) {
            throw new IllegalArgumentException(
                "'" + text + "' opens a [ at character " + (i + 1) + " that is never closed");
          }
          re.append(charClass(text.substring(i + 1, end)));
          i = end;
        }
        case '{' -> {
          if (group >= 0) {
            throw new IllegalArgumentException(
                "'" + text + "' nests a { inside another at character " + (i + 1));
          }
          group = i;
          re.append("(?:");
        }
        case ',' -> re.append(group >= 0 ? "|" : ",");
        case '}' -> {
          if (group >= 0) {
            re.append(')');
            group = -1;
          } else {
            re.append("\\}");
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    if (group >= 0) {
      throw new IllegalArgumentException(
          "'" + text + "' opens a { at character " + (group + 1) + " that is never closed");
    }
    return new Glob(text, Pattern.compile(re.toString()), literal(text), text.contains("**"));
  }

  /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
  private static int classEnd(String text, int open) {
    int j = open + 1;
    if (j < text.length() && text.charAt(j) == '!') {
      j++;
    }
    if (j < text.length() && text.charAt(j) == ']') {
      j++; // a leading ] is a member, as in shells
    }
    while (j < text.length() && text.charAt(j) != ']') {
      j++;
    }
    return j < text.length() ? j : -1;
  }

  private static String charClass(String body) {
    StringBuilder b = new StringBuilder("[");
    int k = 0;
    if (body.startsWith("!")) {
      b.append('^');
      k = 1;
    }
    for (; k < body.length(); k++) {
      char c = body.charAt(k);
      if (c == '-' && k > 0 && k < body.length() - 1) {
        b.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        b.append(c);
      } else {
        b.append('\\').append(c);
      }
    }
    return b.append(']').toString();
  }

  /** How many leading segments hold no pattern character (the folder to start looking in). */
  private static int literal(String text) {
    String[] parts = text.split("/", -1);
    int n = 0;
    for (int k = 0; k < parts.length - 1 && !isPattern(parts[k]); k++) {
      n++;
    }
    return n;
  }

  /** Whether {@code path} (with {@code /} separators, as the pattern is written) matches. */
  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }

  /**
   * The leading segments without pattern characters, joined by {@code /}: where to start looking
   * ({@code /data/in} for {@code /data/in/*}{@code /x.csv}); empty for a pattern that starts with
   * one.
   */
  public String base() {
    List<String> parts = new ArrayList<>(List.of(pattern.split("/", -1)));
    String joined = String.join("/", parts.subList(0, literalSegments));
    return joined.isEmpty() && pattern.startsWith("/") ? "/" : joined;
  }

  /**
   * How many folders below {@link #base} a match can be (1 for {@code base/*}); {@link
   * Integer#MAX_VALUE} with {@code **}.
   */
  public int depth() {
    if (recursive) {
      return Integer.MAX_VALUE;
    }
    return pattern.split("/", -1).length - literalSegments;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
