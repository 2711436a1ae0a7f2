package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueSelectionTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private long nextId = 1;

  private QueueCandidate ti(String run, String task, String pool, int slots, int priority) {
    return ti("d", run, task, pool, slots, priority, 16, null);
  }

  private QueueCandidate ti(
      String dag,
      String run,
      String task,
      String pool,
      int slots,
      int priority,
      int maxActiveTasks,
      Integer maxTisPerDag) {
    int day = run.isEmpty() ? 0 : run.charAt(run.length() - 1) - '0';
    return new QueueCandidate(
        nextId++,
        dag,
        run,
        task,
        pool,
        slots,
        priority,
        T0.plusSeconds(86_400L * day),
        maxActiveTasks,
        maxTisPerDag);
  }

  private static Occupancy occupancy(Map<String, Integer> poolSizes, int executorOpen) {
    return new Occupancy(
        poolSizes, new HashMap<>(), new HashMap<>(), new HashMap<>(), executorOpen);
  }

  private static List<String> keys(List<QueueCandidate> selected) {
    List<String> out = new ArrayList<>();
    selected.forEach(c -> out.add(c.runId() + "/" + c.taskId()));
    return out;
  }

  @Test
  void highestPriorityFirstThenOldestRun() {
    List<QueueCandidate> c =
        List.of(
            ti("r2", "low", "p", 1, 1), ti("r2", "high", "p", 1, 10), ti("r1", "low", "p", 1, 1));
    List<QueueCandidate> s = QueueSelection.select(c, occupancy(Map.of("p", 2), 32));
    assertThat(keys(s)).containsExactly("r2/high", "r1/low");
  }

  @Test
  void aFullPoolQueuesNothingAndOccupiedSlotsCount() {
    Occupancy full = occupancy(Map.of("p", 3), 32);
    full.poolOccupied().put("p", 3);
    assertThat(QueueSelection.select(List.of(ti("r1", "a", "p", 1, 1)), full)).isEmpty();
    Occupancy oneLeft = occupancy(Map.of("p", 3), 32);
    oneLeft.poolOccupied().put("p", 2);
    assertThat(
            keys(
                QueueSelection.select(
                    List.of(ti("r1", "a", "p", 1, 1), ti("r1", "b", "p", 1, 1)), oneLeft)))
        .containsExactly("r1/a");
  }

  @Test
  void aTaskNeedingMoreSlotsThanAreOpenIsPassedOverNotBlocking() {
    List<QueueCandidate> c = List.of(ti("r1", "big", "p", 3, 10), ti("r1", "small", "p", 1, 1));
    assertThat(keys(QueueSelection.select(c, occupancy(Map.of("p", 2), 32))))
        .containsExactly("r1/small");
  }

  @Test
  void unlimitedAndUnknownPools() {
    List<QueueCandidate> c = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      c.add(ti("d", "r1", "t" + i, "free", 5, 1, 100, null));
    }
    c.add(ti("r1", "lost", "no_such_pool", 1, 100));
    List<QueueCandidate> s = QueueSelection.select(c, occupancy(Map.of("free", -1), 1000));
    assertThat(s).hasSize(50);
    assertThat(keys(s)).doesNotContain("r1/lost");
  }

  @Test
  void parallelismCapsTheTotal() {
    List<QueueCandidate> c = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      c.add(ti("r1", "t" + i, "p", 1, 1));
    }
    assertThat(QueueSelection.select(c, occupancy(Map.of("p", 128), 4))).hasSize(4);
    assertThat(QueueSelection.select(c, occupancy(Map.of("p", 128), 0))).isEmpty();
  }

  @Test
  void maxActiveTasksIsPerRunAndCountsWhatAlreadyRuns() {
    List<QueueCandidate> c = new ArrayList<>();
    for (String run : List.of("r1", "r2")) {
      for (int i = 0; i < 3; i++) {
        c.add(ti("d", run, "t" + i, "p", 1, 1, 2, null));
      }
    }
    Occupancy o = occupancy(Map.of("p", 128), 32);
    o.runActive().put(new Occupancy.RunKey("d", "r2"), 1);
    List<String> s = keys(QueueSelection.select(c, o));
    assertThat(s).filteredOn(k -> k.startsWith("r1/")).hasSize(2);
    assertThat(s).filteredOn(k -> k.startsWith("r2/")).hasSize(1);
  }

  @Test
  void maxActiveTisPerDagLimitsATaskAcrossRuns() {
    List<QueueCandidate> c = new ArrayList<>();
    for (String run : List.of("r1", "r2", "r3")) {
      c.add(ti("d", run, "load", "p", 1, 1, 16, 2));
      c.add(ti("d", run, "other", "p", 1, 1, 16, null));
    }
    Occupancy o = occupancy(Map.of("p", 128), 32);
    o.taskActive().put(new Occupancy.TaskKey("d", "load"), 1);
    List<String> s = keys(QueueSelection.select(c, o));
    assertThat(s).filteredOn(k -> k.endsWith("/load")).containsExactly("r1/load");
    assertThat(s).filteredOn(k -> k.endsWith("/other")).hasSize(3);
  }

  @Test
  void limitsOfOneDagDoNotHoldBackAnother() {
    List<QueueCandidate> c =
        List.of(
            ti("busy", "r1", "a", "p", 1, 9, 1, null),
            ti("busy", "r1", "b", "p", 1, 9, 1, null),
            ti("calm", "r1", "a", "p", 1, 1, 1, null));
    assertThat(QueueSelection.select(c, occupancy(Map.of("p", 10), 32)))
        .extracting(QueueCandidate::dagId)
        .containsExactly("busy", "calm");
  }

  @Test
  void neverOverAPoolWhateverTheMix() {
    // A property in miniature: random slot sizes against a small pool never exceed it.
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 500; round++) {
      List<QueueCandidate> c = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        c.add(ti("r" + random.nextInt(3), "t" + i, "p", 1 + random.nextInt(4), random.nextInt(5)));
      }
      int size = random.nextInt(8);
      int used = random.nextInt(size + 1);
      Occupancy o = occupancy(Map.of("p", size), 1 + random.nextInt(10));
      o.poolOccupied().put("p", used);
      int open = o.executorOpenSlots();
      List<QueueCandidate> s = QueueSelection.select(c, o);
      assertThat(s.stream().mapToInt(QueueCandidate::poolSlots).sum())
          .isLessThanOrEqualTo(size - used);
      assertThat(s.size()).isLessThanOrEqualTo(open);
    }
  }
}
