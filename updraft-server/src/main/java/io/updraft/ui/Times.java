package io.updraft.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages show a time: UTC to the second, {@code 2024-01-05 00:00:00}; "" for none. */
final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Times() {}

  static String show(Instant at) {
    return at == null ? "" : FORMAT.format(at);
  }
}
