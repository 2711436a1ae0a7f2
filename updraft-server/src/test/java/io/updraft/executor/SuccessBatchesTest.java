package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Successes handed in while a batch is being written make up the next batch. */
class SuccessBatchesTest {

  private static TryRecorder.Success success(long id) {
    TaskInstanceRow ti =
        new TaskInstanceRow(
            id,
            "d",
            "r",
            "t" + id,
            -1,
            TaskInstanceState.RUNNING,
            1,
            1,
            1,
            "default_pool",
            1,
            "default",
            "shell",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    return new TryRecorder.Success(null, null, ti, null);
  }

  /** Records what it is given, the first batch held until {@code release} counts down. */
  private static final class Recorder implements Function<List<TryRecorder.Success>, Set<Long>> {
    final List<List<Long>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch firstTaken = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final Set<Long> refused;
    final boolean fail;

    Recorder(Set<Long> refused, boolean fail) {
      this.refused = refused;
      this.fail = fail;
    }

    @Override
    public Set<Long> apply(List<TryRecorder.Success> batch) {
      List<Long> ids = batch.stream().map(s -> s.ti().id()).toList();
      batches.add(ids);
      if (batches.size() == 1) {
        firstTaken.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      if (fail && batches.size() == 2) {
        throw new IllegalStateException("the database went away");
      }
      return ids.stream().filter(id -> !refused.contains(id)).collect(Collectors.toSet());
    }
  }

  private static List<Boolean> recordEight(Recorder recorder) throws Exception {
    SuccessBatches batches = new SuccessBatches(recorder);
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      results.add(threads.submit(() -> batches.record(success(1))));
      assertThat(recorder.firstTaken.await(30, TimeUnit.SECONDS)).isTrue();
      for (long id = 2; id <= 8; id++) {
        long i = id;
        results.add(threads.submit(() -> batches.record(success(i))));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (batches.queued() < 7 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(batches.queued()).as("waiting while the first batch is written").isEqualTo(7);
      recorder.release.countDown();
      List<Boolean> recorded = new ArrayList<>();
      for (Future<Boolean> f : results) {
        recorded.add(f.get(30, TimeUnit.SECONDS));
      }
      return recorded;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void successesThatEndWhileABatchIsWrittenShareTheNext() throws Exception {
    Recorder recorder = new Recorder(Set.of(5L), false);
    List<Boolean> recorded = recordEight(recorder);
    assertThat(recorder.batches).hasSize(2);
    assertThat(recorder.batches.get(0)).containsExactly(1L);
    assertThat(recorder.batches.get(1)).containsExactlyInAnyOrder(2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(recorded)
        .as("5 had moved on: its caller records it alone")
        .containsExactly(true, true, true, true, false, true, true, true);
  }

  @Test
  void aBatchThatFailsLeavesEachOfItsSuccessesToBeRecordedAlone() throws Exception {
    Recorder recorder = new Recorder(Set.of(), true);
    List<Boolean> recorded = recordEight(recorder);
    assertThat(recorder.batches).hasSize(2);
    assertThat(recorded).containsExactly(true, false, false, false, false, false, false, false);
  }
}
