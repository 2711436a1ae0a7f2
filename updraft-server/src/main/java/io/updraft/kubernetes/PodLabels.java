package io.updraft.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The labels and annotations of an Updraft pod, and the rules that make ids fit them. A label value
 * is at most 63 characters of {@code [A-Za-z0-9_.-]}, starting and ending alphanumeric; a DAG, run
 * or task id that does not fit is cut and given a hash of the whole id, so two ids never share a
 * label (Airflow's {@code make_safe_label_value}). The ids as written are in annotations.
 */
public final class PodLabels {
  private static final String PREFIX = "updraft.io/";

  /** Every pod this executor makes has it: how the executor finds its pods. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY_VALUE = "updraft";
  public static final String DAG_ID = PREFIX + "dag-id";
  public static final String RUN_ID = PREFIX + "run-id";
  public static final String TASK_ID = PREFIX + "task-id";
  public static final String MAP_INDEX = PREFIX + "map-index";
  public static final String TRY_NUMBER = PREFIX + "try-number";
  public static final String TASK_INSTANCE = PREFIX + "task-instance-id";

  /** The id of the scheduler job that runs the pod (Airflow's {@code airflow-worker} label). */
  public static final String SCHEDULER_JOB = PREFIX + "scheduler-job";

  /** Annotation: the DAG version (serialized DAG hash) the pod's try runs. */
  public static final String DAG_HASH = PREFIX + "dag-hash";

  /** Annotation: when a failed pod, kept for inspection, is deleted (an ISO-8601 instant). */
  public static final String DELETE_AFTER = PREFIX + "delete-after";

  private static final int MAX = 63;
  private static final Pattern VALID =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?|[A-Za-z0-9]");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^-A-Za-z0-9_.]");
  private static final Pattern DNS_INVALID = Pattern.compile("[^a-z0-9-]+");

  private PodLabels() {}

  /** {@code value} as a label value: itself when it fits, else cut and tagged with its hash. */
  public static String value(String value) {
    if (VALID.matcher(value).matches()) {
      return value;
    }
    String hash = hash(value).substring(0, 10);
    String cleaned = INVALID_CHARS.matcher(value).replaceAll("_");
    String head = cleaned.substring(0, Math.min(cleaned.length(), MAX - hash.length() - 1));
    head = head.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return head.isEmpty() ? hash : head + "-" + hash;
  }

  /** Whether {@code value} may be a label value. */
  public static boolean isValid(String value) {
    return value.isEmpty() || VALID.matcher(value).matches();
  }

  /**
   * The pod's name: {@code <dag>-<task>} cut to fit, then the task instance's id and the try, so
   * one try of one task instance has exactly one possible pod name. A second scheduler that queues
   * the same try finds the pod already there instead of starting another.
   */
  public static String podName(String dagId, String taskId, long taskInstanceId, int tryNumber) {
    String tail = "-" + taskInstanceId + "-" + tryNumber;
    String head =
        DNS_INVALID.matcher((dagId + "-" + taskId).toLowerCase(Locale.ROOT)).replaceAll("-");
    head = head.replaceAll("^-+", "").replaceAll("-+$", "");
    int room = MAX - tail.length();
    if (head.length() > room) {
      head = head.substring(0, room).replaceAll("-+$", "");
    }
    return (head.isEmpty() ? "updraft" : head) + tail;
  }

  private static String hash(String value) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
