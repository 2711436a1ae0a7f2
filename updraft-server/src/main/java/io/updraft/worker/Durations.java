package io.updraft.worker;

import java.time.Duration;

/** Durations as people read them in logs and messages: {@code 1h2m3s}, {@code 250ms}. */
public final class Durations {

  private Durations() {}

  public static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    long s = d.getSeconds();
    if (s >= 86400) {
      b.append(s / 86400).append('d');
    }
    if (s % 86400 >= 3600) {
      b.append(s % 86400 / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    long ms = d.toMillis() % 1000;
    if (s % 60 != 0 || ms != 0) {
      b.append(s % 60);
      if (ms != 0) {
        b.append('.').append(String.format("%03d", ms).replaceAll("0+$", ""));
      }
      b.append('s');
    }
    return b.toString();
  }
}
