package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

abstract class JobRepositoryContractTest extends RepositoryContractTest {
  JobRepository jobs() {
    return new JobRepository(db);
  }

  @Test
  void registersHeartbeatsAndFinishes() {
    long id = jobs().register(JobType.SCHEDULER, "host", 123, T0);
    assertThat(jobs().get(id))
        .contains(new JobRow(id, JobType.SCHEDULER, "running", "host", 123, T0, T0, null));

    Instant beat = T0.plusSeconds(5);
    assertThat(jobs().heartbeat(id, beat)).isTrue();
    assertThat(jobs().get(id).orElseThrow().latestHeartbeat()).isEqualTo(beat);

    assertThat(jobs().finish(id, true, beat.plusSeconds(1))).isTrue();
    assertThat(jobs().finish(id, false, beat.plusSeconds(2))).isFalse();
    JobRow done = jobs().get(id).orElseThrow();
    assertThat(done.state()).isEqualTo("success");
    assertThat(done.endDate()).isEqualTo(beat.plusSeconds(1));
    // A finished job's heartbeat is refused: it was declared dead, it must stop.
    assertThat(jobs().heartbeat(id, beat.plusSeconds(3))).isFalse();
    assertThat(jobs().heartbeat(999_999, beat)).isFalse();
  }

  @Test
  void aliveSinceListsRunningJobsOfATypeWithARecentHeartbeat() {
    long fresh = jobs().register(JobType.SCHEDULER, "a", 1, T0.plusSeconds(30));
    long stale = jobs().register(JobType.SCHEDULER, "b", 2, T0);
    long finished = jobs().register(JobType.SCHEDULER, "c", 3, T0.plusSeconds(30));
    jobs().finish(finished, false, T0.plusSeconds(31));
    jobs().register(JobType.TRIGGERER, "d", 4, T0.plusSeconds(30));
    jobs().heartbeat(stale, T0.plusSeconds(10));

    assertThat(jobs().aliveSince(JobType.SCHEDULER, T0.plusSeconds(10)))
        .extracting(JobRow::id)
        .containsExactly(fresh, stale);
    assertThat(jobs().aliveSince(JobType.SCHEDULER, T0.plusSeconds(11)))
        .extracting(JobRow::id)
        .containsExactly(fresh);
    assertThat(jobs().aliveSince(JobType.WORKER, T0)).isEmpty();
  }

  @Test
  void workerJobsKeepTheirQueuesAndConcurrencyAndEndAsOtherJobs() {
    WorkerJobs workers = new WorkerJobs(db);
    long id = workers.register("gpu-1", 7, java.util.List.of("gpu", "default"), 16, T0);
    long gone = workers.register("gpu-2", 8, java.util.List.of("gpu"), 2, T0);
    assertThat(jobs().get(id).orElseThrow().type()).isEqualTo(JobType.WORKER);
    jobs().heartbeat(id, T0.plusSeconds(40));
    Instant now = T0.plusSeconds(45);
    assertThat(jobs().failStale(JobType.WORKER, now.minusSeconds(30), now)).isEqualTo(1);
    assertThat(jobs().get(gone).orElseThrow().state()).isEqualTo("failed");
    assertThat(workers.aliveSince(now.minusSeconds(30)))
        .containsExactly(
            new WorkerJobs.Worker(
                id,
                "gpu-1",
                7,
                java.util.List.of("gpu", "default"),
                16,
                T0.plusSeconds(40),
                T0,
                "running"));
    assertThat(jobs().latestHeartbeat(JobType.WORKER)).isEqualTo(T0.plusSeconds(40));
    jobs().finish(id, true, now);
    assertThat(workers.aliveSince(T0)).isEmpty();
    // Ended rows: listed for the UI, latest first; health still sees their last heartbeat.
    assertThat(workers.recent(10))
        .extracting(WorkerJobs.Worker::id, WorkerJobs.Worker::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id, "success"),
            org.assertj.core.groups.Tuple.tuple(gone, "failed"));
    assertThat(workers.recent(1)).hasSize(1);
    assertThat(jobs().latestHeartbeat(JobType.WORKER)).isNull();
    assertThat(jobs().latestHeartbeatEver(JobType.WORKER)).isEqualTo(T0.plusSeconds(40));
  }

  @Test
  void failStaleEndsRunningJobsOfATypeWithAnOldHeartbeat() {
    long dead = jobs().register(JobType.SCHEDULER, "a", 1, T0);
    long alive = jobs().register(JobType.SCHEDULER, "b", 2, T0.plusSeconds(40));
    long otherType = jobs().register(JobType.TRIGGERER, "c", 3, T0);
    Instant now = T0.plusSeconds(45);

    assertThat(jobs().failStale(JobType.SCHEDULER, now.minusSeconds(30), now)).isEqualTo(1);
    JobRow ended = jobs().get(dead).orElseThrow();
    assertThat(ended.state()).isEqualTo("failed");
    assertThat(ended.endDate()).isEqualTo(now);
    assertThat(jobs().get(alive).orElseThrow().state()).isEqualTo("running");
    assertThat(jobs().get(otherType).orElseThrow().state()).isEqualTo("running");
    assertThat(jobs().heartbeat(dead, now)).as("the dead one must stop").isFalse();
    assertThat(jobs().failStale(JobType.SCHEDULER, now.minusSeconds(30), now)).isZero();
  }

  @Test
  void theLatestHeartbeatIsTheNewestOfTheRunningJobsOfAType() {
    JobRepository jobs = new JobRepository(db);
    assertThat(jobs.latestHeartbeat(JobType.TRIGGERER)).isNull();
    long a = jobs.register(JobType.SCHEDULER, "h", 1, T0);
    long b = jobs.register(JobType.SCHEDULER, "h", 2, T0);
    jobs.heartbeat(a, T0.plusSeconds(5));
    jobs.heartbeat(b, T0.plusSeconds(9));
    assertThat(jobs.latestHeartbeat(JobType.SCHEDULER)).isEqualTo(T0.plusSeconds(9));
    jobs.finish(b, true, T0.plusSeconds(10));
    assertThat(jobs.latestHeartbeat(JobType.SCHEDULER)).isEqualTo(T0.plusSeconds(5));
    assertThat(jobs.latestHeartbeat(JobType.DAG_PROCESSOR)).isNull();
  }
}
