package io.updraft.config;

import io.updraft.dag.Durations;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One setting Updraft knows: {@code section.key}, its type, its default and the environment
 * variable that sets it ({@code UPDRAFT_<SECTION>_<KEY>} unless SPEC names another).
 *
 * @param defaultText the default as text; "" for a default that depends on the home folder
 */
public record ConfigKey(
    String section, String key, Kind kind, String defaultText, String env, String description) {

  /** The types a setting can have, each with its parser. */
  public enum Kind {
    BOOLEAN,
    POSITIVE_INT,
    DURATION,
    /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 1MiB} (KB, MB: powers of 1000). */
    BYTES,
    TEXT,
    PATH,
    /** {@code local}, {@code remote} or {@code kubernetes} ({@code core.executor}). */
    EXECUTOR;

    /** The executors {@code core.executor} may name. */
    public static final List<String> EXECUTORS = List.of("local", "remote", "kubernetes");

    /** The largest {@link #BYTES} value: a value is held in memory and in one database column. */
    static final long MAX_BYTES = 256L * 1024 * 1024;

    private static final java.util.regex.Pattern SIZE =
        java.util.regex.Pattern.compile(
            "(\\d{1,12})\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Parses a value, or returns empty with nothing said; the caller names the source. */
    Optional<Object> parse(String text) {
      String t = text.trim();
      return switch (this) {
        case BOOLEAN ->
            switch (t.toLowerCase(Locale.ROOT)) {
              case "true" -> Optional.of(Boolean.TRUE);
              case "false" -> Optional.of(Boolean.FALSE);
              default -> Optional.empty();
            };
        case POSITIVE_INT -> {
          try {
            int n = Integer.parseInt(t);
            yield n >= 1 ? Optional.of(n) : Optional.empty();
          } catch (NumberFormatException e) {
            yield Optional.empty();
          }
        }
        case DURATION -> Durations.parse(t).filter(d -> !d.isZero()).map(d -> (Object) d);
        case BYTES -> bytes(t).map(n -> (Object) n);
        case TEXT -> t.isEmpty() ? Optional.empty() : Optional.of(t);
        case PATH -> t.isEmpty() ? Optional.empty() : Optional.of(Path.of(t));
        case EXECUTOR ->
            EXECUTORS.contains(t.toLowerCase(Locale.ROOT))
                ? Optional.of(t.toLowerCase(Locale.ROOT))
                : Optional.empty();
      };
    }

    private static Optional<Integer> bytes(String t) {
      java.util.regex.Matcher m = SIZE.matcher(t);
      if (!m.matches()) {
        return Optional.empty();
      }
      long unit =
          switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
            case "kb" -> 1000L;
            case "kib" -> 1024L;
            case "mb" -> 1000L * 1000;
            case "mib" -> 1024L * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            case "gib" -> 1024L * 1024 * 1024;
            default -> 1L;
          };
      long n = Long.parseLong(m.group(1)) * unit;
      return n >= 1 && n <= MAX_BYTES ? Optional.of((int) n) : Optional.empty();
    }

    String expected() {
      return switch (this) {
        case BOOLEAN -> "true or false";
        case POSITIVE_INT -> "a whole number of at least 1";
        case DURATION -> "a duration such as 30s, 5m, PT10M";
        case BYTES -> "a size such as 1048576, 512KiB or 4MiB (at least 1 byte, at most 256MiB)";
        case TEXT -> "some text";
        case PATH -> "a path";
        case EXECUTOR -> "one of " + String.join(", ", EXECUTORS);
      };
    }
  }

  public static final ConfigKey DAGS_FOLDER =
      new ConfigKey(
          "core",
          "dags_folder",
          Kind.PATH,
          "",
          "UPDRAFT_DAGS_FOLDER",
          "the folder of DAG files (default $UPDRAFT_HOME/dags)");
  public static final ConfigKey DB_URL =
      new ConfigKey(
          "database",
          "url",
          Kind.TEXT,
          "",
          "UPDRAFT_DB_URL",
          "the metadata database's JDBC URL (default an H2 file in the home)");
  public static final ConfigKey DAGS_ARE_PAUSED_AT_CREATION =
      of(
          "core",
          "dags_are_paused_at_creation",
          Kind.BOOLEAN,
          "true",
          "whether a DAG seen for the first time starts paused");
  public static final ConfigKey PARALLELISM =
      of(
          "core",
          "parallelism",
          Kind.POSITIVE_INT,
          "32",
          "task instances running at once per scheduler/executor");
  public static final ConfigKey EXECUTOR =
      of(
          "core",
          "executor",
          Kind.EXECUTOR,
          "local",
          "where tasks run: local (threads of the scheduler's JVM), remote (queued tasks wait for"
              + " updraft workers of their queue), kubernetes (a pod per try)");
  public static final ConfigKey MAX_XCOM_SIZE =
      of(
          "core",
          "max_xcom_size",
          Kind.BYTES,
          "1MiB",
          "the largest return value (XCom) a task may have, as JSON; a larger one fails the try");
  public static final ConfigKey TASK_INSTANCE_HEARTBEAT_TIMEOUT =
      of(
          "scheduler",
          "task_instance_heartbeat_timeout",
          Kind.DURATION,
          "5m",
          "a running task whose heartbeat is older is failed (and retried if it has retries left)");
  public static final ConfigKey TRIGGERER_CAPACITY =
      of(
          "triggerer",
          "capacity",
          Kind.POSITIVE_INT,
          "1000",
          "triggers (deferred waits) one triggerer holds at once; updraft triggerer --capacity"
              + " overrides it");

  public static final ConfigKey SCHEDULER_HEALTH_CHECK_THRESHOLD =
      of(
          "scheduler",
          "scheduler_health_check_threshold",
          Kind.DURATION,
          "30s",
          "a scheduler whose heartbeat is older is dead; its tasks are adopted");
  public static final ConfigKey JWT_EXPIRATION_TIME =
      of(
          "api_auth",
          "jwt_expiration_time",
          Kind.DURATION,
          "24h",
          "how long an access token of POST /auth/token is good for; a remote worker renews its"
              + " own before it expires (decisions/0168)");
  public static final ConfigKey TASK_QUEUED_TIMEOUT =
      of(
          "scheduler",
          "task_queued_timeout",
          Kind.DURATION,
          "10m",
          "a task queued longer is put back to scheduled");
  public static final ConfigKey CALLBACK_TIMEOUT =
      of(
          "scheduler",
          "callback_timeout",
          Kind.DURATION,
          "5m",
          "a callback's notifier running longer is stopped and the attempt failed; one whose"
              + " runner died is run again after 1.2 times this");

  public static final ConfigKey SHUTDOWN_GRACE =
      of(
          "scheduler",
          "shutdown_grace",
          Kind.DURATION,
          "30s",
          "on stop, how long running tasks get between SIGTERM and SIGKILL; they run again at the"
              + " next start");

  public static final ConfigKey DAG_FILE_TIMEOUT =
      of(
          "dag_processor",
          "file_timeout",
          Kind.DURATION,
          "30s",
          "a DAG file whose parse takes longer becomes an import error");
  public static final ConfigKey DAG_REFRESH_INTERVAL =
      of(
          "dag_processor",
          "refresh_interval",
          Kind.DURATION,
          "30s",
          "how often the whole dags folder is looked at, besides file-system events");
  public static final ConfigKey DAG_PARSING_PROCESSES =
      of("dag_processor", "parsing_processes", Kind.POSITIVE_INT, "2", "DAG files parsed at once");

  public static final ConfigKey OPERATOR_JVM_REUSE =
      of(
          "worker",
          "operator_jvm_reuse",
          Kind.BOOLEAN,
          "true",
          "run custom Java operators' tries in warm JVMs kept per code bundle; false: a JVM of its"
              + " own per try (0.3-1 s each)");
  public static final ConfigKey OPERATOR_JVM_IDLE_TIMEOUT =
      of(
          "worker",
          "operator_jvm_idle_timeout",
          Kind.DURATION,
          "5m",
          "a warm custom-operator JVM that ran no try for this long is stopped");
  public static final ConfigKey OPERATOR_JVMS_PER_BUNDLE =
      of(
          "worker",
          "operator_jvms_per_bundle",
          Kind.POSITIVE_INT,
          "4",
          "warm JVMs kept per code bundle; a try that finds them all busy gets a JVM that stops"
              + " after it");

  public static final ConfigKey FERNET_KEY =
      of(
          "core",
          "fernet_key",
          Kind.TEXT,
          "",
          "the Fernet key that encrypts connection passwords and variables at rest; a"
              + " comma-separated list decrypts with any and encrypts with the first (default: the"
              + " key in $UPDRAFT_HOME/fernet.key, which db migrate and standalone create)");

  public static final ConfigKey STATSD_ON =
      of(
          "metrics",
          "statsd_on",
          Kind.BOOLEAN,
          "false",
          "push this process's metrics to a StatsD server under Airflow's names (docs/metrics.md)");
  public static final ConfigKey STATSD_HOST =
      of("metrics", "statsd_host", Kind.TEXT, "localhost", "the StatsD server's host");
  public static final ConfigKey STATSD_PORT =
      of("metrics", "statsd_port", Kind.POSITIVE_INT, "8125", "the StatsD server's UDP port");
  public static final ConfigKey STATSD_PREFIX =
      of(
          "metrics",
          "statsd_prefix",
          Kind.TEXT,
          "updraft",
          "the first part of every StatsD name (Airflow's default is airflow)");

  // The kubernetes executor (docs/deploy.md#kubernetes): a pod per try.
  public static final ConfigKey KUBERNETES_API_URL =
      of(
          "kubernetes",
          "api_url",
          Kind.TEXT,
          "",
          "the API server's URL as pods reach it, given to each pod as UPDRAFT_API_URL (required by"
              + " the kubernetes executor), e.g. http://updraft-api-server:8080");
  public static final ConfigKey KUBERNETES_NAMESPACE =
      of("kubernetes", "namespace", Kind.TEXT, "default", "the namespace the pods run in");
  public static final ConfigKey KUBERNETES_POD_TEMPLATE_FILE =
      of(
          "kubernetes",
          "pod_template_file",
          Kind.TEXT,
          "",
          "a YAML pod every try's pod starts from (its container 'base' runs the task); default:"
              + " a pod with one container");
  public static final ConfigKey KUBERNETES_IMAGE =
      of(
          "kubernetes",
          "image",
          Kind.TEXT,
          "",
          "the image of the pods' base container (with the updraft launcher); overrides the"
              + " template's");
  public static final ConfigKey KUBERNETES_SERVICE_ACCOUNT =
      of("kubernetes", "service_account", Kind.TEXT, "", "the pods' service account");
  public static final ConfigKey KUBERNETES_REQUEST_CPU =
      of("kubernetes", "request_cpu", Kind.TEXT, "", "the base container's CPU request (500m)");
  public static final ConfigKey KUBERNETES_REQUEST_MEMORY =
      of("kubernetes", "request_memory", Kind.TEXT, "", "its memory request (512Mi)");
  public static final ConfigKey KUBERNETES_LIMIT_CPU =
      of("kubernetes", "limit_cpu", Kind.TEXT, "", "its CPU limit");
  public static final ConfigKey KUBERNETES_LIMIT_MEMORY =
      of("kubernetes", "limit_memory", Kind.TEXT, "", "its memory limit");
  public static final ConfigKey KUBERNETES_NODE_SELECTOR =
      of(
          "kubernetes",
          "node_selector",
          Kind.TEXT,
          "",
          "the pods' node selector as key=value pairs separated by commas (disktype=ssd,zone=a)");
  public static final ConfigKey KUBERNETES_POD_START_TIMEOUT =
      of(
          "kubernetes",
          "pod_start_timeout",
          Kind.DURATION,
          "5m",
          "a pod still pending (unschedulable, pulling) after this fails its try");
  public static final ConfigKey KUBERNETES_FAILED_POD_RETENTION =
      of(
          "kubernetes",
          "failed_pod_retention",
          Kind.DURATION,
          "1h",
          "how long a failed pod is kept for kubectl describe/logs before it is deleted (finished"
              + " pods are deleted at once)");

  /** Every setting, in the order {@code config list} shows them. */
  public static final List<ConfigKey> ALL =
      List.of(
          DAGS_FOLDER,
          DB_URL,
          DAGS_ARE_PAUSED_AT_CREATION,
          PARALLELISM,
          EXECUTOR,
          MAX_XCOM_SIZE,
          TASK_INSTANCE_HEARTBEAT_TIMEOUT,
          SCHEDULER_HEALTH_CHECK_THRESHOLD,
          JWT_EXPIRATION_TIME,
          TASK_QUEUED_TIMEOUT,
          CALLBACK_TIMEOUT,
          SHUTDOWN_GRACE,
          DAG_FILE_TIMEOUT,
          DAG_REFRESH_INTERVAL,
          DAG_PARSING_PROCESSES,
          TRIGGERER_CAPACITY,
          OPERATOR_JVM_REUSE,
          OPERATOR_JVM_IDLE_TIMEOUT,
          OPERATOR_JVMS_PER_BUNDLE,
          FERNET_KEY,
          STATSD_ON,
          STATSD_HOST,
          STATSD_PORT,
          STATSD_PREFIX,
          KUBERNETES_API_URL,
          KUBERNETES_NAMESPACE,
          KUBERNETES_POD_TEMPLATE_FILE,
          KUBERNETES_IMAGE,
          KUBERNETES_SERVICE_ACCOUNT,
          KUBERNETES_REQUEST_CPU,
          KUBERNETES_REQUEST_MEMORY,
          KUBERNETES_LIMIT_CPU,
          KUBERNETES_LIMIT_MEMORY,
          KUBERNETES_NODE_SELECTOR,
          KUBERNETES_POD_START_TIMEOUT,
          KUBERNETES_FAILED_POD_RETENTION);

  private static ConfigKey of(
      String section, String key, Kind kind, String defaultText, String description) {
    String env = ("UPDRAFT_" + section + "_" + key).toUpperCase(Locale.ROOT);
    return new ConfigKey(section, key, kind, defaultText, env, description);
  }

  /** Whether the value is a secret: {@code config list} and templates show {@code ***}. */
  public boolean secret() {
    return this == FERNET_KEY;
  }

  /** {@code section.key}. */
  public String name() {
    return section + "." + key;
  }

  /** The typed default; unused for the keys whose default depends on the home folder. */
  Object defaultValue() {
    return defaultText.isEmpty() ? null : kind.parse(defaultText).orElseThrow();
  }
}
