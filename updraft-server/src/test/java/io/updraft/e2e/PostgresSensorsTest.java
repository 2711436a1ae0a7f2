package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PostgreSQL: also with a separate scheduler and triggerer, woken across processes. */
class PostgresSensorsTest extends SensorsTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Test
  void aSeparateTriggererEndsTheWaitsOfASeparateScheduler() throws Exception {
    writeDags();
    site.migrate();
    ChildJvm scheduler = site.updraft("scheduler", "scheduler");
    scheduler.awaitOutput("is running", Duration.ofSeconds(60));
    ChildJvm triggerer = site.updraft("triggerer", "triggerer");
    triggerer.awaitOutput("is running", Duration.ofSeconds(60));
    sensorsAndTriggerDagEnd(triggerer);
    assertThat(triggerer.terminate(Duration.ofSeconds(60))).as(triggerer::describe).isZero();
    assertThat(scheduler.terminate(Duration.ofSeconds(60))).as(scheduler::describe).isZero();
  }
}
