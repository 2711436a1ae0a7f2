package io.updraft.bench;

import java.util.Locale;

/** The metadata databases the scenarios run on. */
public enum DbKind {
  H2,
  POSTGRES;

  /** The name on the command line and in reports: {@code h2}, {@code postgres}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static DbKind parse(String text) {
    for (DbKind kind : values()) {
      if (kind.label().equals(text)) {
        return kind;
      }
    }
    throw new UsageException(
        "unknown database '" + text + "' for --db — use h2 or postgres (the default is h2)");
  }
}
