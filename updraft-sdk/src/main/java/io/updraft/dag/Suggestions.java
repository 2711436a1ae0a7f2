package io.updraft.dag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ...?" for misspelt names: the candidates closest to what was written, by edit
 * distance (a swap of two neighbouring letters counts as one edit), ignoring case.
 */
public final class Suggestions {
  private static final int MAX_SUGGESTIONS = 3;

  private Suggestions() {}

  /**
   * The candidates close enough to {@code written} to be what was meant, closest first (at most 3,
   * in candidate order among equals); empty when none is close.
   */
  public static List<String> closest(String written, Collection<String> candidates) {
    if (written == null || written.isEmpty()) {
      return List.of();
    }
    String w = written.toLowerCase(Locale.ROOT);
    // Short names tolerate one edit, longer ones about one edit per three letters.
    int limit = Math.max(1, Math.min(3, w.length() / 3));
    List<String> found = new ArrayList<>();
    int best = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d > limit || d > best) {
        continue;
      }
      if (d < best) {
        best = d;
        found.clear();
      }
      found.add(c);
    }
    return found.size() > MAX_SUGGESTIONS ? found.subList(0, MAX_SUGGESTIONS) : found;
  }

  /** " — did you mean x?" / "; did you mean x or y?", or "" when nothing is close. */
  public static String didYouMean(String written, Collection<String> candidates, String lead) {
    List<String> close = closest(written, candidates);
    return close.isEmpty() ? "" : lead + "did you mean " + String.join(" or ", close) + "?";
  }

  /** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
