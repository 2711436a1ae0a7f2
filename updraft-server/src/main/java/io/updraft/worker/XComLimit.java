package io.updraft.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * {@code core.max_xcom_size}: a return value is stored as XCom only when its JSON is at most that
 * many bytes (UTF-8); a larger one fails the try with one line naming its size and the setting, so
 * nothing is ever cut silently (docs/decisions/0046).
 */
final class XComLimit {
  static final String KEY = "core.max_xcom_size";

  private static final ObjectMapper JSON = new ObjectMapper();

  private XComLimit() {}

  /** Why {@code value} cannot be stored under {@code max} bytes, or null when it can. */
  static String check(Object value, int max) {
    if (value == null) {
      return null;
    }
    Counter counter = new Counter();
    try {
      JSON.writeValue(counter, value);
    } catch (JsonProcessingException e) {
      return "the return value cannot be stored as JSON: " + e.getOriginalMessage();
    } catch (IOException e) {
      throw new IllegalStateException("counting bytes cannot fail", e);
    }
    return counter.bytes > max
        ? tooLarge("the return value is", counter.bytes, " as JSON", max)
        : null;
  }

  /** The message for a last stdout line longer than {@code max} bytes. */
  static String lineTooLarge(long bytes, int max) {
    return tooLarge("the return value (the last stdout line) is", bytes, "", max);
  }

  private static String tooLarge(String what, long bytes, String as, int max) {
    return String.format(
        Locale.ROOT,
        "%s %,d bytes%s, over %s (%,d bytes) — return less (write large data to a file and return"
            + " its path), or raise %s (UPDRAFT_CORE_MAX_XCOM_SIZE)",
        what,
        bytes,
        as,
        KEY,
        max,
        KEY);
  }

  /** Counts what Jackson writes without keeping it. */
  private static final class Counter extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
