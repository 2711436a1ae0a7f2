package io.updraft.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the task runner runs tries; fixed when it is built.
 *
 * @param killGrace how long a timed-out or cancelled process tree gets between SIGTERM and SIGKILL
 * @param heartbeatInterval how often {@link Heartbeat#beat} is called while a process runs
 * @param tempRoot where the per-try working directories of shell tasks without {@code cwd} go
 * @param baseEnv the environment every task process starts from (normally Updraft's own)
 * @param bash the shell that runs commands ({@code bash}, looked up on the PATH of {@code baseEnv})
 * @param configuration Updraft's settings as text by section and key, without secrets: what a
 *     template's {@code conf} reads (Airflow's {@code conf} is its configuration)
 * @param operatorJvms how warm JVMs run custom operators (decisions/0140)
 */
public record RunnerSettings(
    Duration killGrace,
    Duration heartbeatInterval,
    Path tempRoot,
    Map<String, String> baseEnv,
    String bash,
    Map<String, Map<String, String>> configuration,
    int maxXComSize,
    OperatorJvmSettings operatorJvms) {

  /** The default of {@code core.max_xcom_size}: 1 MiB. */
  public static final int DEFAULT_MAX_XCOM_SIZE = 1024 * 1024;

  public RunnerSettings {
    requirePositive(killGrace, "killGrace");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(tempRoot, "tempRoot");
    baseEnv = Map.copyOf(baseEnv);
    Objects.requireNonNull(bash, "bash");
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    configuration.forEach((section, keys) -> sections.put(section, Map.copyOf(keys)));
    configuration = Collections.unmodifiableMap(sections);
    if (maxXComSize < 1) {
      throw new IllegalArgumentException("maxXComSize must be at least 1, not " + maxXComSize);
    }
    Objects.requireNonNull(operatorJvms, "operatorJvms");
  }

  /**
   * Defaults: 10 s grace, a heartbeat every 5 s (Airflow's {@code job_heartbeat_sec}), the JVM's
   * temp directory, this process's environment, {@code bash}, no configuration for templates,
   * return values up to 1 MiB.
   */
  public static RunnerSettings defaults() {
    return new RunnerSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Path.of(System.getProperty("java.io.tmpdir")),
        System.getenv(),
        "bash",
        Map.of(),
        DEFAULT_MAX_XCOM_SIZE,
        OperatorJvmSettings.defaults());
  }

  public RunnerSettings withKillGrace(Duration grace) {
    return new RunnerSettings(
        grace,
        heartbeatInterval,
        tempRoot,
        baseEnv,
        bash,
        configuration,
        maxXComSize,
        operatorJvms);
  }

  public RunnerSettings withHeartbeatInterval(Duration interval) {
    return new RunnerSettings(
        killGrace, interval, tempRoot, baseEnv, bash, configuration, maxXComSize, operatorJvms);
  }

  public RunnerSettings withTempRoot(Path root) {
    return new RunnerSettings(
        killGrace,
        heartbeatInterval,
        root,
        baseEnv,
        bash,
        configuration,
        maxXComSize,
        operatorJvms);
  }

  public RunnerSettings withBaseEnv(Map<String, String> env) {
    return new RunnerSettings(
        killGrace,
        heartbeatInterval,
        tempRoot,
        env,
        bash,
        configuration,
        maxXComSize,
        operatorJvms);
  }

  public RunnerSettings withConfiguration(Map<String, Map<String, String>> sections) {
    return new RunnerSettings(
        killGrace, heartbeatInterval, tempRoot, baseEnv, bash, sections, maxXComSize, operatorJvms);
  }

  public RunnerSettings withMaxXComSize(int bytes) {
    return new RunnerSettings(
        killGrace, heartbeatInterval, tempRoot, baseEnv, bash, configuration, bytes, operatorJvms);
  }

  public RunnerSettings withOperatorJvms(OperatorJvmSettings jvms) {
    return new RunnerSettings(
        killGrace, heartbeatInterval, tempRoot, baseEnv, bash, configuration, maxXComSize, jvms);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
    }
  }
}
