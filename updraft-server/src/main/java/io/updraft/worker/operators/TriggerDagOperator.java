package io.updraft.worker.operators;

import io.updraft.UpdraftException;
import io.updraft.sensors.Condition;
import io.updraft.sensors.SensorMode;
import io.updraft.sensors.SensorSpec;
import io.updraft.sensors.TriggerKinds;
import io.updraft.worker.Durations;
import io.updraft.worker.Pause;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trigger_dag} (SPEC §1.3, Airflow's TriggerDagRunOperator): creates a manual run of another
 * DAG through the same code as {@code updraft dags trigger}; its run_id is the return value. With
 * {@code wait_for_completion} it defers: the try hands the wait to the triggerer (no slot held),
 * which ends the task when the run reaches {@code allowed_states} or {@code failed_states}, within
 * {@code execution_timeout} (default 7 days) (docs/decisions/0087).
 */
final class TriggerDagOperator implements InJvmOperator {

  /** Airflow's default {@code poke_interval} of TriggerDagRunOperator. */
  static final Duration DEFAULT_POKE = Duration.ofSeconds(60);

  @Override
  public Object execute(OperatorContext ctx) throws InterruptedException {
    Args args = new Args(null, ctx.args());
    String dagId = args.required("trigger_dag_id", "name the DAG to trigger");
    Instant logical = logicalDate(args, ctx.clock().instant());
    String runId = args.text("trigger_run_id", null);
    Map<String, Object> conf = conf(args);
    String created;
    try {
      created = ctx.dagRuns().trigger(dagId, logical, runId, conf);
    } catch (UpdraftException e) {
      if (e instanceof OperatorFailure f) {
        throw f;
      }
      throw args.fail(
          "cannot trigger DAG " + dagId + ": " + OperatorFailure.oneLine(e.getMessage()));
    }
    ctx.note("triggered DAG " + dagId + ": run " + created + " (logical date " + logical + ")");
    if (!args.bool("wait_for_completion", false)) {
      return created;
    }
    List<String> allowed = states(args, "allowed_states", List.of("success"));
    List<String> failed = states(args, "failed_states", List.of("failed"));
    Duration poke = args.duration("poke_interval", DEFAULT_POKE);
    if (poke.isZero() || poke.isNegative()) {
      throw args.fail("poke_interval must be positive");
    }
    // The wait goes to the triggerer and the slot is freed (ISSUE 12, decision 0087): one
    // external_task condition on the whole run; the run id stays this try's return value.
    Duration timeout = ctx.timeout() != null ? ctx.timeout() : SensorSpec.DEFAULT_TIMEOUT;
    SensorSpec wait =
        new SensorSpec(
            SensorMode.DEFER,
            poke,
            false,
            timeout,
            false,
            List.of(new Condition.ExternalTask(dagId, null, null, created, allowed, failed)));
    ctx.note(
        "deferring: the triggerer waits for run "
            + created
            + " to reach "
            + allowed
            + " (failing on "
            + failed
            + "), checking every "
            + Durations.human(poke)
            + " and when a task ends, for at most "
            + Durations.human(timeout));
    throw new OperatorPause(
        new Pause.Defer(TriggerKinds.SPEC, wait.toJson(), ctx.clock().instant().plus(timeout)),
        created);
  }

  private static List<String> states(Args args, String key, List<String> fallback) {
    List<String> s = args.strings(key);
    return s.isEmpty() ? fallback : s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> conf(Args args) {
    Object conf = args.raw("conf");
    if (conf == null) {
      return Map.of();
    }
    if (conf instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    if (conf instanceof String s && !s.isBlank()) {
      try {
        Object parsed =
            new com.fasterxml.jackson.databind.ObjectMapper().readValue(s, Object.class);
        if (parsed instanceof Map<?, ?> m) {
          return (Map<String, Object>) m;
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // reported below
      }
    }
    throw args.fail(
        "conf must be a map (or a template rendering to a JSON object), not '" + conf + "'");
  }

  /** An ISO-8601 instant, date-time (UTC when it has no offset) or date; default now. */
  static Instant logicalDate(Args args, Instant now) {
    String text = args.text("logical_date", null);
    if (text == null) {
      return now;
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw args.fail(
          "logical_date must be ISO-8601 (2024-01-01, 2024-01-01T02:00:00+00:00), not '"
              + text
              + "'");
    }
  }
}
