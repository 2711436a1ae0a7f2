package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

abstract class DagRepositoryContractTest extends RepositoryContractTest {

  static Task task(String id, String owner, Integer maxActiveTisPerDag) {
    return new Task(
        id,
        "bash",
        Map.of(),
        List.of(),
        null,
        0,
        null,
        false,
        null,
        null,
        null,
        1,
        1,
        null,
        null,
        maxActiveTisPerDag,
        false,
        false,
        null,
        null,
        null,
        owner,
        null);
  }

  static Dag dag(String id, String description, Task... tasks) {
    return new Dag(
        id,
        description,
        Schedule.Cron.of("@daily", false),
        ZoneOffset.UTC,
        T0,
        null,
        true,
        3,
        7,
        null,
        List.of(),
        Map.of(),
        List.of(tasks));
  }

  DagRepository dags() {
    return new DagRepository(db);
  }

  @Test
  void upsertCreatesARowWithTheParsedFields() {
    Dag dag =
        dag("d1", "first", task("a", "alice", null), task("b", "bob", 2), task("c", "alice", null));

    assertThat(dags().upsert(dag, "/dags/d1.yaml", true, T0)).isTrue();

    DagRow row = dags().get("d1").orElseThrow();
    assertThat(row)
        .isEqualTo(
            new DagRow(
                "d1",
                "/dags/d1.yaml",
                "alice, bob",
                "first",
                true,
                true,
                false,
                T0,
                "@daily",
                3,
                7,
                true,
                null));
  }

  @Test
  void upsertKeepsThePauseFlagOfAnExistingRow() {
    dags().upsert(dag("d1", "v1"), "/dags/a.yaml", false, T0);
    assertThat(dags().setPaused("d1", true)).isTrue();

    Instant later = T0.plusSeconds(60);
    assertThat(dags().upsert(dag("d1", "v2"), "/dags/b.yaml", false, later)).isFalse();

    DagRow row = dags().get("d1").orElseThrow();
    assertThat(row.paused()).isTrue();
    assertThat(row.description()).isEqualTo("v2");
    assertThat(row.fileloc()).isEqualTo("/dags/b.yaml");
    assertThat(row.lastParsedTime()).isEqualTo(later);
    assertThat(row.owners()).isEqualTo(Task.DEFAULT_OWNER);
  }

  @Test
  void upsertReactivatesAndKeepsTheNextRunFields() {
    dags().upsert(dag("d1", null), "/dags/a.yaml", false, T0);
    NextDagRun next = new NextDagRun(T0, T0, T0.plusSeconds(10), T0.plusSeconds(10));
    dags().setNextRun("d1", next);
    dags().deactivateFilesNotIn(Set.of());
    assertThat(dags().get("d1").orElseThrow().active()).isFalse();

    dags().upsert(dag("d1", null), "/dags/a.yaml", false, T0.plusSeconds(5));

    DagRow row = dags().get("d1").orElseThrow();
    assertThat(row.active()).isTrue();
    assertThat(row.next()).isEqualTo(next);
  }

  @Test
  void getOfAnUnknownDagIsEmptyAndSetPausedSaysFalse() {
    assertThat(dags().get("nope")).isEmpty();
    assertThat(dags().setPaused("nope", true)).isFalse();
    assertThat(dags().setNextRun("nope", null)).isFalse();
  }

  @Test
  void listsByDagId() {
    dags().upsert(dag("zeta", null), "/z", false, T0);
    dags().upsert(dag("Alpha", null), "/a", false, T0);
    dags().upsert(dag("alpha", null), "/a", false, T0);
    assertThat(dags().list()).extracting(DagRow::dagId).containsExactly("Alpha", "alpha", "zeta");
  }

  @Test
  void deactivatesDagsOfFilesNoLongerThere() {
    dags().upsert(dag("a", null), "/dags/a.yaml", false, T0);
    dags().upsert(dag("b", null), "/dags/b.yaml", false, T0);
    dags().upsert(dag("b2", null), "/dags/b.yaml", false, T0);

    assertThat(dags().deactivateFilesNotIn(Set.of("/dags/a.yaml")))
        .containsExactlyInAnyOrder("b", "b2");
    assertThat(dags().deactivateFilesNotIn(Set.of("/dags/a.yaml"))).isEmpty();

    assertThat(dags().list()).extracting(DagRow::active).containsExactly(true, false, false);
  }

  @Test
  void deactivatesDagsAFileNoLongerDefines() {
    dags().upsert(dag("keep", null), "/dags/f.yaml", false, T0);
    dags().upsert(dag("gone", null), "/dags/f.yaml", false, T0);
    dags().upsert(dag("other", null), "/dags/g.yaml", false, T0);
    Instant parseStarted = T0.plusSeconds(30);
    dags().upsert(dag("keep", null), "/dags/f.yaml", false, parseStarted.plusMillis(1));

    assertThat(dags().deactivateNotParsedSince("/dags/f.yaml", parseStarted)).isEqualTo(1);

    assertThat(dags().get("gone").orElseThrow().active()).isFalse();
    assertThat(dags().get("keep").orElseThrow().active()).isTrue();
    assertThat(dags().get("other").orElseThrow().active()).isTrue();
  }

  @Test
  void nextRunFieldsRoundTripAndClear() {
    dags().upsert(dag("d", null), "/d", false, T0);
    for (Instant t : StoreContractTest.AWKWARD_INSTANTS) {
      NextDagRun next = new NextDagRun(t, t, t, t);
      assertThat(dags().setNextRun("d", next)).isTrue();
      assertThat(dags().get("d").orElseThrow().next()).isEqualTo(next);
    }
    NextDagRun partial = new NextDagRun(null, null, null, T0);
    dags().setNextRun("d", partial);
    assertThat(dags().get("d").orElseThrow().next()).isEqualTo(partial);

    dags().setNextRun("d", null);
    assertThat(dags().get("d").orElseThrow().next()).isNull();
  }

  @Test
  void dueForRunCreationPicksActiveUnpausedDueDagsEarliestFirst() {
    for (String id : List.of("late", "early", "future", "paused", "inactive", "never")) {
      dags().upsert(dag(id, null), "/" + id, false, T0);
    }
    dags().setNextRun("late", next(T0.plusSeconds(20)));
    dags().setNextRun("early", next(T0.plusSeconds(10)));
    dags().setNextRun("future", next(T0.plusSeconds(1000)));
    dags().setNextRun("paused", next(T0));
    dags().setPaused("paused", true);
    dags().setNextRun("inactive", next(T0));
    dags().deactivateNotParsedSince("/inactive", T0.plusSeconds(1));
    Instant now = T0.plusSeconds(20);

    List<DagRow> due = db.inTransaction(() -> dags().dueForRunCreation(now, 10));
    assertThat(due).extracting(DagRow::dagId).containsExactly("early", "late");

    assertThat(db.inTransaction(() -> dags().dueForRunCreation(now, 1)))
        .extracting(DagRow::dagId)
        .containsExactly("early");
  }

  @Test
  void dueForRunCreationSkipsRowsAnotherTransactionLocked() {
    for (String id : List.of("a", "b", "c")) {
      dags().upsert(dag(id, null), "/" + id, false, T0);
      dags().setNextRun(id, next(T0));
    }
    db.runInTransaction(
        () -> {
          assertThat(dags().dueForRunCreation(T0, 2))
              .extracting(DagRow::dagId)
              .containsExactly("a", "b");
          List<String> seenByOther =
              onOtherThread(
                  () ->
                      db.inTransaction(
                          () ->
                              dags().dueForRunCreation(T0, 10).stream()
                                  .map(DagRow::dagId)
                                  .toList()));
          assertThat(seenByOther).containsExactly("c");
        });
    // Committed: the locks are gone.
    assertThat(db.inTransaction(() -> dags().dueForRunCreation(T0, 10))).hasSize(3);
  }

  @Test
  void dueForRunCreationOutsideATransactionFailsClearly() {
    assertThatThrownBy(() -> dags().dueForRunCreation(T0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "DagRepository.dueForRunCreation locks rows and must run inside"
                + " Database.inTransaction(...)");
  }

  @Test
  void aFailedTransactionRollsBack() {
    dags().upsert(dag("d", null), "/d", false, T0);
    assertThatThrownBy(
            () ->
                db.runInTransaction(
                    () -> {
                      dags().setPaused("d", true);
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(dags().get("d").orElseThrow().paused()).isFalse();
  }

  @Test
  void aNestedTransactionJoinsTheOuterOne() {
    dags().upsert(dag("d", null), "/d", false, T0);
    assertThatThrownBy(
            () ->
                db.runInTransaction(
                    () -> {
                      db.runInTransaction(() -> dags().setPaused("d", true));
                      // Not yet committed: another connection still sees the old value.
                      assertThat(onOtherThread(() -> dags().get("d").orElseThrow().paused()))
                          .isFalse();
                      throw new IllegalStateException("outer fails");
                    }))
        .hasMessage("outer fails");
    assertThat(dags().get("d").orElseThrow().paused()).isFalse();
  }

  static NextDagRun next(Instant createAfter) {
    return new NextDagRun(createAfter.minusSeconds(86_400), null, null, createAfter);
  }
}
