package io.updraft.rules;

import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Whether a failed try is retried, and when: Airflow 2.10's {@code
 * TaskInstance.is_eligible_to_retry} and {@code next_retry_datetime}.
 *
 * <p>Try numbers are 1-based and name the try that just ended (Airflow 2.10 semantics: the first
 * try is 1, and it is still 1 while that try is being handled).
 *
 * <p>The delay before the next try:
 *
 * <ul>
 *   <li>without exponential backoff: exactly {@code retry_delay}. Neither {@code max_retry_delay}
 *       nor the 24 h cap applies (Airflow applies both only to the backoff branch).
 *   <li>with exponential backoff: {@code base = ceil(retry_delay_seconds * 2^(try-1))}, at least 1
 *       s; then a deterministic spread {@code base + sha1("dag_id#task_id#logical_date#try") mod
 *       base}, so the delay lies in {@code [base, 2*base)} and is the same whichever scheduler
 *       computes it; whole seconds; capped by 24 h, then by {@code max_retry_delay} when set and
 *       non-zero.
 * </ul>
 *
 * <p>The 24 h cap is Airflow's {@code MAX_RETRY_DELAY} in {@code
 * airflow/models/abstractoperator.py}, read from the {@code [core] max_task_retry_delay} option
 * whose default is 86400 s; Updraft fixes it at that default. The logical date enters the hash as
 * Python prints a UTC datetime read from the database ({@code 2024-01-01 00:00:00+00:00},
 * microseconds only when non-zero), so the spread matches Airflow's for the same run.
 */
public final class Retries {
  private Retries() {}

  /** Airflow's {@code MAX_RETRY_DELAY} default: no backoff delay exceeds 24 hours. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofHours(24);

  private static final long MAX_RETRY_DELAY_SECONDS = MAX_RETRY_DELAY.toSeconds();
  private static final DateTimeFormatter PY_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * Whether the try that just failed is followed by another: {@code retries + 1} tries in all.
   *
   * @param tryNumber the try that just failed, 1-based
   */
  public static boolean eligibleForRetry(int retries, int tryNumber) {
    return eligibleForRetry(retries, retries, tryNumber);
  }

  /**
   * As {@link #eligibleForRetry(int, int)} with Airflow's {@code max_tries} column, which starts at
   * {@code retries} and grows when a task instance is cleared (clearing sets it to {@code
   * try_number + retries}, granting a fresh set of retries). A task with {@code retries == 0} is
   * never retried, whatever {@code maxTries} says.
   */
  public static boolean eligibleForRetry(int retries, int maxTries, int tryNumber) {
    return retries > 0 && tryNumber <= maxTries;
  }

  /**
   * As above, plus Airflow's rule that a task instance killed because it was cleared while running
   * (state restarting) is always retried.
   */
  public static boolean eligibleForRetry(
      TaskInstanceState state, int retries, int maxTries, int tryNumber) {
    return state == TaskInstanceState.RESTARTING || eligibleForRetry(retries, maxTries, tryNumber);
  }

  /**
   * When the next try may start: {@code tryEndDate + retryDelay(...)}.
   *
   * @param tryEndDate when the failed try ended (Airflow's {@code end_date})
   * @param tryNumber the try that just failed, 1-based
   * @param logicalDate the DAG run's logical date (part of the backoff spread)
   */
  public static Instant nextRetryAt(
      Task task, Instant tryEndDate, int tryNumber, String dagId, Instant logicalDate) {
    Objects.requireNonNull(tryEndDate, "tryEndDate");
    return tryEndDate.plus(retryDelay(task, tryNumber, dagId, logicalDate));
  }

  /** The wait between the end of try {@code tryNumber} and the next try. */
  public static Duration retryDelay(Task task, int tryNumber, String dagId, Instant logicalDate) {
    Objects.requireNonNull(task, "task");
    if (tryNumber < 1) {
      throw new IllegalArgumentException("tryNumber must be 1 or more, got " + tryNumber);
    }
    Duration delay = task.retryDelay();
    if (!task.retryExponentialBackoff()) {
      return delay;
    }
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(logicalDate, "logicalDate");
    long seconds = backoffSeconds(delay, tryNumber, dagId, task.taskId(), logicalDate);
    Duration backoff = Duration.ofSeconds(seconds);
    Duration max = task.maxRetryDelay();
    if (max != null && !max.isZero() && max.compareTo(backoff) < 0) {
      backoff = max;
    }
    return backoff;
  }

  private static long backoffSeconds(
      Duration delay, int tryNumber, String dagId, String taskId, Instant logicalDate) {
    BigDecimal delaySeconds =
        new BigDecimal(delay.getSeconds()).add(BigDecimal.valueOf(delay.getNano(), 9));
    BigInteger base =
        delaySeconds
            .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(tryNumber - 1)))
            .setScale(0, RoundingMode.CEILING)
            .toBigIntegerExact()
            .max(BigInteger.ONE);
    // The spread only ever adds, so a base beyond the cap ends at the cap anyway.
    if (base.compareTo(BigInteger.valueOf(MAX_RETRY_DELAY_SECONDS)) >= 0) {
      return MAX_RETRY_DELAY_SECONDS;
    }
    String key = dagId + "#" + taskId + "#" + pythonUtcString(logicalDate) + "#" + tryNumber;
    BigInteger spread = base.add(sha1(key).mod(base));
    return Math.min(spread.longValueExact(), MAX_RETRY_DELAY_SECONDS);
  }

  /** {@code str()} of a UTC Python datetime: {@code 2024-01-01 00:00:00[.ffffff]+00:00}. */
  static String pythonUtcString(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    String s = PY_SECONDS.format(micros);
    int nanos = micros.getNano();
    if (nanos != 0) {
      s += String.format(".%06d", nanos / 1000);
    }
    return s + "+00:00";
  }

  private static BigInteger sha1(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
