package io.updraft.dagproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of the {@code .updraftignore} files that apply to a folder, in gitignore style
 * (Airflow 3's default {@code glob} syntax for {@code .airflowignore}):
 *
 * <ul>
 *   <li>one pattern a line; blank lines and lines starting with {@code #} are skipped;
 *   <li>a pattern is relative to the folder of its {@code .updraftignore} and applies to that
 *       folder and everything below it;
 *   <li>{@code *} matches within one path segment, {@code **} across segments, {@code ?} one
 *       character, {@code [abc]} a set;
 *   <li>a pattern without a {@code /} (except a trailing one) matches a name at any depth; with a
 *       leading or inner {@code /} it is anchored to the ignore file's folder;
 *   <li>a trailing {@code /} matches folders only; an ignored folder is not searched at all;
 *   <li>{@code !pattern} takes a path back that an earlier pattern ignored; the last matching
 *       pattern wins, parent folders' files first.
 * </ul>
 */
final class IgnoreRules {
  static final String FILE_NAME = ".updraftignore";

  private record Rule(Path base, Pattern pattern, boolean negated, boolean foldersOnly) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = rules;
  }

  static IgnoreRules none() {
    return new IgnoreRules(List.of());
  }

  /** These rules plus those of {@code folder}'s own {@code .updraftignore}, if it has one. */
  IgnoreRules enter(Path folder) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return this;
    }
    List<Rule> all = new ArrayList<>(rules);
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated) {
        line = line.substring(1);
      }
      boolean foldersOnly = line.endsWith("/");
      if (foldersOnly) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      boolean anchored = line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
      all.add(new Rule(folder, Pattern.compile(regex), negated, foldersOnly));
    }
    return new IgnoreRules(all);
  }

  boolean ignored(Path path, boolean isFolder) {
    boolean ignored = false;
    for (Rule r : rules) {
      if (r.foldersOnly() && !isFolder) {
        continue;
      }
      String relative = r.base().relativize(path).toString().replace('\\', '/');
      if (r.pattern().matcher(relative).matches()) {
        ignored = !r.negated();
      }
    }
    return ignored;
  }

  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
              i++;
              re.append("(?:.*/)?"); // "**/": any number of folders, including none
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            re.append("\\[");
          } else {
            String set = glob.substring(i + 1, end);
            if (set.startsWith("!")) {
              set = "^" + set.substring(1);
            }
            re.append('[').append(set.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
