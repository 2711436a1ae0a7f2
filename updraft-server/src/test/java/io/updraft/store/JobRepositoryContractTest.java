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
}
