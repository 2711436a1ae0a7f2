package io.updraft.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.updraft.state.DagRunState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's meters: its heartbeat, the duration of each loop pass, how long finished runs
 * took and how late scheduled runs started (Airflow's {@code scheduler_heartbeat}, {@code
 * scheduler.scheduler_loop_duration}, {@code dagrun.duration.<state>.<dag_id>}, {@code
 * dagrun.schedule_delay.<dag_id>}).
 */
public final class SchedulerMetrics {
  private static final Counter HEARTBEAT =
      Counter.builder("updraft.scheduler.heartbeat")
          .description("Scheduler job heartbeats recorded by this process")
          .register(Metrics.registry());

  private static final Timer LOOP =
      Timer.builder("updraft.scheduler.loop.duration")
          .description("Time one pass of the scheduler loop took")
          .register(Metrics.registry());

  private SchedulerMetrics() {}

  /** A scheduler recorded its job's heartbeat. */
  public static void heartbeat() {
    HEARTBEAT.increment();
  }

  /** A loop pass took {@code nanos}. */
  public static void loopPass(long nanos) {
    LOOP.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The loop passes' timer: how many so far and their total time (the bench reads it). */
  public static Timer loopTimer() {
    return LOOP;
  }

  /** A run of {@code dagId} ended in {@code state} after running for {@code took}. */
  public static void dagRunFinished(String dagId, DagRunState state, Duration took) {
    Timer.builder("updraft.dagrun.duration")
        .description("Time from a DAG run's start to its end, by DAG and final state")
        .tag("dag_id", dagId)
        .tag("state", state.id())
        .register(Metrics.registry())
        .record(took.isNegative() ? Duration.ZERO : took);
  }

  /**
   * A scheduled run of {@code dagId} started {@code late} after it was due (the end of its data
   * interval, Airflow's expected start).
   */
  public static void scheduleDelay(String dagId, Duration late) {
    Timer.builder("updraft.dagrun.schedule.delay")
        .description("Time from when a scheduled DAG run was due to when it started, by DAG")
        .tag("dag_id", dagId)
        .register(Metrics.registry())
        .record(late.isNegative() ? Duration.ZERO : late);
  }
}
