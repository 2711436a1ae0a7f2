package io.updraft.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;

/** How pages show numbers and JSON: durations as {@code 1m 05s}, JSON indented. */
final class Formats {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Formats() {}

  /** Seconds as {@code 0.4s}, {@code 12s}, {@code 3m 05s}, {@code 2h 01m}; empty when null. */
  static String duration(Double seconds) {
    if (seconds == null) {
      return "";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
  }

  /** JSON text indented; the text as it is when it is not JSON; empty when null. */
  static String json(String text) {
    if (text == null || text.isBlank()) {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(text);
      return JSON.writeValueAsString(node);
    } catch (Exception e) {
      return text;
    }
  }

  /** A value for a URL's path segment or query. */
  static String url(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** At most {@code max} characters, with {@code …} when cut. */
  static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " chars)";
  }
}
