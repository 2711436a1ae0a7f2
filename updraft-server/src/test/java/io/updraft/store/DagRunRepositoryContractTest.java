package io.updraft.store;

import static io.updraft.state.DagRunState.FAILED;
import static io.updraft.state.DagRunState.QUEUED;
import static io.updraft.state.DagRunState.RUNNING;
import static io.updraft.state.DagRunState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.updraft.state.DagRunState;
import io.updraft.state.IllegalTransitionException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class DagRunRepositoryContractTest extends RepositoryContractTest {

  DagRunRepository runs() {
    return new DagRunRepository(db);
  }

  static NewDagRun manual(String dagId, String runId, Instant logicalDate, Instant runAfter) {
    return new NewDagRun(
        dagId,
        runId,
        RunType.MANUAL,
        QUEUED,
        logicalDate,
        null,
        null,
        runAfter,
        "{\"k\":1}",
        "h2",
        42L);
  }

  @Test
  void createsAndReadsARun() {
    Instant logical = Instant.parse("2024-11-03T05:30:00Z");
    long id = runs().create(manual("d", "manual__1", logical, logical), T0);

    DagRunRow row = runs().get("d", "manual__1").orElseThrow();
    assertThat(row)
        .isEqualTo(
            new DagRunRow(
                id,
                "d",
                "manual__1",
                RunType.MANUAL,
                QUEUED,
                logical,
                null,
                null,
                logical,
                T0,
                null,
                null,
                true,
                "{\"k\":1}",
                "h2",
                null,
                42L,
                0));
    assertThat(runs().get(id)).contains(row);
    assertThat(runs().get("d", "other")).isEmpty();
  }

  @Test
  void aRunCreatedRunningHasAStartDate() {
    long id = run("d", "r", RUNNING, 0);
    DagRunRow row = runs().get(id).orElseThrow();
    assertThat(row.startDate()).isEqualTo(T0);
    assertThat(row.externalTrigger()).isFalse();
    assertThat(row.creatingJobId()).isNull();
  }

  @Test
  void refusesADuplicateRunIdWithAClearMessage() {
    run("d", "r1", QUEUED, 0);
    assertThatThrownBy(() -> run("d", "r1", QUEUED, 1))
        .isInstanceOf(DuplicateDagRunException.class)
        .hasMessage("DAG d already has a run with run_id r1: choose another run_id");
    run("e", "r1", QUEUED, 0); // another DAG may reuse it
  }

  @Test
  void refusesADuplicateLogicalDateWithAClearMessage() {
    run("d", "r1", QUEUED, 0);
    assertThatThrownBy(() -> run("d", "r2", QUEUED, 0))
        .isInstanceOf(DuplicateDagRunException.class)
        .hasMessage(
            "DAG d already has a run with logical date "
                + T0
                + " (run_id r1): choose another logical date");
    assertThat(runs().list("d", 10)).hasSize(1);
  }

  @Test
  void runsWithoutALogicalDateDoNotCollide() {
    runs().create(manual("d", "a", null, T0), T0);
    runs().create(manual("d", "b", null, T0), T0);
    assertThat(runs().list("d", 10)).hasSize(2);
  }

  @Test
  void listsNewestFirstAndCountsActive() {
    long first = run("d", "r0", QUEUED, 0);
    run("d", "r1", RUNNING, 1);
    long third = run("d", "r2", QUEUED, 2);
    run("other", "r0", RUNNING, 0);
    runs().setState(first, QUEUED, FAILED, T0);

    assertThat(runs().list("d", 10)).extracting(DagRunRow::runId).containsExactly("r2", "r1", "r0");
    assertThat(runs().list("d", 2)).extracting(DagRunRow::runId).containsExactly("r2", "r1");
    assertThat(runs().countActive("d")).isEqualTo(2);
    assertThat(runs().countActive("none")).isZero();
    assertThat(runs().countRunningByDag())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("d", 1, "other", 1));
    assertThat(third).isGreaterThan(first);
  }

  @Test
  void setStateIsGuardedByTheExpectedState() {
    long id = run("d", "r", QUEUED, 0);
    Instant start = T0.plusSeconds(5);
    assertThat(runs().setState(id, QUEUED, RUNNING, start)).isTrue();
    assertThat(runs().get(id).orElseThrow().startDate()).isEqualTo(start);

    // Someone else already started it: a lost race, nothing changes.
    assertThat(runs().setState(id, QUEUED, RUNNING, start.plusSeconds(1))).isFalse();
    assertThat(runs().setState(id, QUEUED, FAILED, start.plusSeconds(1))).isFalse();
    DagRunRow row = runs().get(id).orElseThrow();
    assertThat(row.state()).isEqualTo(RUNNING);
    assertThat(row.startDate()).isEqualTo(start);
    assertThat(row.endDate()).isNull();

    Instant end = T0.plusSeconds(9);
    assertThat(runs().setState(id, RUNNING, SUCCESS, end)).isTrue();
    row = runs().get(id).orElseThrow();
    assertThat(row.state()).isEqualTo(SUCCESS);
    assertThat(row.endDate()).isEqualTo(end);
  }

  @Test
  void setStatesMovesManyRunsAndLeavesOutThoseNoLongerInTheExpectedState() {
    long a = run("d", "a", QUEUED, 0);
    long b = run("d", "b", QUEUED, 1);
    long c = run("d", "c", QUEUED, 2);
    long d = run("d", "d", QUEUED, 3);
    runs().setState(b, QUEUED, FAILED, T0); // someone else ended it meanwhile
    Instant start = T0.plusSeconds(5);

    assertThat(runs().setStates(List.of(a, b, c), QUEUED, RUNNING, start))
        .containsExactlyInAnyOrder(a, c);
    assertThat(runs().get(a).orElseThrow().startDate()).isEqualTo(start);
    assertThat(runs().get(b).orElseThrow().state()).isEqualTo(FAILED);
    assertThat(runs().get(d).orElseThrow().state()).isEqualTo(QUEUED);
    assertThat(runs().setStates(List.of(), QUEUED, RUNNING, start)).isEmpty();

    // Ending records the pass as the runs' last scheduling decision, and only the guarded ones.
    Instant end = T0.plusSeconds(9);
    assertThat(runs().setStates(List.of(a, b, c), RUNNING, SUCCESS, end))
        .containsExactlyInAnyOrder(a, c);
    DagRunRow row = runs().get(c).orElseThrow();
    assertThat(row.state()).isEqualTo(SUCCESS);
    assertThat(row.endDate()).isEqualTo(end);
    assertThat(row.lastSchedulingDecision()).isEqualTo(end);
    assertThat(runs().get(b).orElseThrow().endDate()).isEqualTo(T0);
    assertThatThrownBy(() -> runs().setStates(List.of(a), SUCCESS, QUEUED, end))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runs().setStates(List.of(a), SUCCESS, RUNNING, end))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void anIllegalTransitionThrowsAndWritesNothing() {
    long id = run("d", "r", RUNNING, 0);
    runs().setState(id, RUNNING, SUCCESS, T0);
    assertThatThrownBy(() -> runs().setState(id, SUCCESS, RUNNING, T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> runs().setState(id, SUCCESS, SUCCESS, T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(runs().get(id).orElseThrow().state()).isEqualTo(SUCCESS);
  }

  @Test
  void clearingToQueuedResetsTheRun() {
    long id = run("d", "r", RUNNING, 0);
    runs().touchSchedulingDecision(List.of(id), T0);
    runs().setState(id, RUNNING, FAILED, T0.plusSeconds(1));

    Instant cleared = T0.plusSeconds(2);
    assertThat(runs().setState(id, FAILED, QUEUED, cleared)).isTrue();

    DagRunRow row = runs().get(id).orElseThrow();
    assertThat(row.state()).isEqualTo(QUEUED);
    assertThat(row.queuedAt()).isEqualTo(cleared);
    assertThat(row.startDate()).isNull();
    assertThat(row.endDate()).isNull();
    assertThat(row.lastSchedulingDecision()).isNull();
    assertThat(row.clearNumber()).isEqualTo(1);
  }

  @Test
  void touchesManyRunsInOneBatch() {
    long a = run("d", "a", RUNNING, 0);
    long b = run("d", "b", RUNNING, 1);
    long c = run("d", "c", RUNNING, 2);
    Instant now = Instant.parse("2024-10-27T01:30:00Z");
    runs().touchSchedulingDecision(List.of(a, c), now);
    assertThat(runs().get(a).orElseThrow().lastSchedulingDecision()).isEqualTo(now);
    assertThat(runs().get(b).orElseThrow().lastSchedulingDecision()).isNull();
    assertThat(runs().get(c).orElseThrow().lastSchedulingDecision()).isEqualTo(now);
    runs().touchSchedulingDecision(List.of(), now);
  }

  @Test
  void runningForSchedulingNeverExaminedFirstThenOldestDecision() {
    long a = run("d", "a", RUNNING, 0);
    long b = run("d", "b", RUNNING, 1);
    long c = run("d", "c", RUNNING, 2);
    long d = run("d", "d", RUNNING, 3);
    run("d", "q", QUEUED, 4);
    runs().touchSchedulingDecision(List.of(a), T0.plusSeconds(20));
    runs().touchSchedulingDecision(List.of(c), T0.plusSeconds(10));

    List<Long> order =
        db.inTransaction(
            () -> runs().runningForScheduling(10).stream().map(DagRunRow::id).toList());
    assertThat(order).containsExactly(b, d, c, a);
    assertThat(db.inTransaction(() -> runs().runningForScheduling(2)))
        .extracting(DagRunRow::id)
        .containsExactly(b, d);
  }

  @Test
  void runningForSchedulingNotExaminedSinceLeavesRunsExaminedSinceThen() {
    long a = run("d", "a", RUNNING, 0);
    long b = run("d", "b", RUNNING, 1);
    long c = run("d", "c", RUNNING, 2);
    run("d", "q", QUEUED, 3);
    runs().touchSchedulingDecision(List.of(a), T0.plusSeconds(20));
    runs().touchSchedulingDecision(List.of(c), T0.plusSeconds(10));

    assertThat(db.inTransaction(() -> runs().runningForScheduling(10, T0.plusSeconds(15))))
        .extracting(DagRunRow::id)
        .containsExactly(b, c);
    assertThat(db.inTransaction(() -> runs().runningForScheduling(10, T0.plusSeconds(10))))
        .extracting(DagRunRow::id)
        .containsExactly(b);
    assertThat(db.inTransaction(() -> runs().runningForScheduling(1, T0.plusSeconds(30))))
        .extracting(DagRunRow::id)
        .containsExactly(b);
  }

  @Test
  void runningForSchedulingSkipsRunsAnotherSchedulerHolds() {
    long a = run("d", "a", RUNNING, 0);
    long b = run("d", "b", RUNNING, 1);
    long c = run("d", "c", RUNNING, 2);
    db.runInTransaction(
        () -> {
          assertThat(runs().runningForScheduling(1)).extracting(DagRunRow::id).containsExactly(a);
          List<Long> seen =
              onOtherThread(
                  () ->
                      db.inTransaction(
                          () ->
                              runs().runningForScheduling(10).stream()
                                  .map(DagRunRow::id)
                                  .toList()));
          assertThat(seen).containsExactly(b, c);
        });
  }

  /**
   * A scheduler's claim keeps other schedulers out, not the tries of the claimed run: their writes
   * (an XCom, a try's history row) check their foreign key to the run, and on PostgreSQL a claim
   * {@code FOR UPDATE} made that check wait for the scheduler's pass (decisions/0191).
   */
  @Test
  void aClaimedRunStillTakesTheWritesOfItsTries() {
    assumeFalse(
        db.dialect() instanceof Dialect.MySql,
        "InnoDB's foreign key check takes a shared lock on the run that any claim excludes");
    long a = run("d", "a", RUNNING, 0);
    db.runInTransaction(
        () -> {
          assertThat(runs().runningForScheduling(1)).extracting(DagRunRow::id).containsExactly(a);
          boolean written =
              onOtherThread(
                  () ->
                      db.inTransaction(
                          () -> {
                            if (db.dialect() instanceof Dialect.Postgres) {
                              db.jdbc()
                                  .update(
                                      "a short lock timeout",
                                      "SET LOCAL lock_timeout = '3s'",
                                      Jdbc.Binder.NONE);
                            }
                            new XComRepository(db)
                                .put(a, "d", "a", "t", XComRepository.RETURN_VALUE, "1", T0);
                            return true;
                          }));
          assertThat(written).isTrue();
        });
    assertThat(new XComRepository(db).entries("d", "a", "t", -1)).hasSize(1);
  }

  @Test
  void queuedOldestFirstLeavesOutPausedDagsSoTheirRunsDoNotFillThePage() {
    new DagRepository(db).upsert(DagRepositoryContractTest.dag("p", null), "/p", true, T0);
    new DagRepository(db).upsert(DagRepositoryContractTest.dag("u", null), "/u", false, T0);
    run("p", "p1", QUEUED, 0);
    run("p", "p2", QUEUED, 1);
    long u = run("u", "u1", QUEUED, 2);
    long noRow = run("gone", "g1", QUEUED, 3); // no dag row: not paused, as before
    assertThat(db.inTransaction(() -> runs().queuedOldestFirst(1)))
        .extracting(DagRunRow::id)
        .containsExactly(u);
    assertThat(db.inTransaction(() -> runs().queuedOldestFirst(10)))
        .extracting(DagRunRow::id)
        .containsExactly(u, noRow);
  }

  @Test
  void queuedOldestFirstLocksToo() {
    long a = run("d", "a", QUEUED, 0);
    long b = run("d", "b", QUEUED, 1);
    run("d", "r", RUNNING, 2);
    assertThat(db.inTransaction(() -> runs().queuedOldestFirst(10)))
        .extracting(DagRunRow::id)
        .containsExactly(a, b);
    db.runInTransaction(
        () -> {
          runs().queuedOldestFirst(1);
          List<Long> seen =
              onOtherThread(
                  () ->
                      db.inTransaction(
                          () -> runs().queuedOldestFirst(10).stream().map(DagRunRow::id).toList()));
          assertThat(seen).containsExactly(b);
        });
    assertThatThrownBy(() -> runs().queuedOldestFirst(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void previousRunFollowsTheCatchupRule() {
    run("d", "s0", QUEUED, 0); // scheduled, day 0
    Instant day1 = T0.plusSeconds(86_400);
    runs().create(manual("d", "m1", day1, day1), T0); // manual, day 1
    Instant day2 = T0.plusSeconds(2 * 86_400);
    run("d", "s3", QUEUED, 3);

    // catchup on: only scheduled runs count
    assertThat(runs().previous("d", day2, true)).map(DagRunRow::runId).contains("s0");
    // catchup off: any run
    assertThat(runs().previous("d", day2, false)).map(DagRunRow::runId).contains("m1");
    assertThat(runs().previous("d", T0, false)).isEmpty();
    assertThat(runs().previous("other", day2, false)).isEmpty();
  }

  /** Airflow's get_previous_dagrun(state=SUCCESS): any run type, earlier logical date, success. */
  @Test
  void previousSuccessIsTheLatestSuccessfulEarlierRunOfAnyType() {
    ended("d", "s0", SUCCESS, 0);
    ended("d", "s1", FAILED, 1);
    Instant day2 = T0.plusSeconds(2 * 86_400);
    long m2 = runs().create(manual("d", "m2", day2, day2), T0);
    runs().setState(m2, QUEUED, RUNNING, day2);
    runs().setState(m2, RUNNING, SUCCESS, day2.plusSeconds(60));
    ended("d", "s3", SUCCESS, 3);
    ended("other", "o2", SUCCESS, 2);

    Instant day3 = T0.plusSeconds(3 * 86_400);
    assertThat(runs().previousSuccess("d", day3)).map(DagRunRow::runId).contains("m2");
    assertThat(runs().previousSuccess("d", day3).orElseThrow().startDate()).isEqualTo(day2);
    assertThat(runs().previousSuccess("d", day2))
        .as("the failed run in between does not count")
        .map(DagRunRow::runId)
        .contains("s0");
    assertThat(runs().previousSuccess("d", T0)).isEmpty();
    assertThat(runs().previousSuccess("nope", day3)).isEmpty();
  }

  private void ended(String dagId, String runId, DagRunState state, int day) {
    assertThat(runs().setState(run(dagId, runId, RUNNING, day), RUNNING, state, T0)).isTrue();
  }

  @Test
  void pagesOfRunsAreOrderedByTheFieldAskedForThenById() {
    run("d", "r1", QUEUED, 2);
    run("d", "r2", RUNNING, 0);
    run("d", "r3", QUEUED, 1);
    run("other", "r9", QUEUED, 0);
    DagRunRepository runs = new DagRunRepository(db);

    assertThat(runs.page("d", "logical_date", false, 10, 0))
        .extracting(DagRunRow::runId)
        .containsExactly("r2", "r3", "r1");
    assertThat(runs.page("d", "logical_date", true, 2, 0))
        .extracting(DagRunRow::runId)
        .containsExactly("r1", "r3");
    assertThat(runs.page("d", "id", false, 2, 1))
        .extracting(DagRunRow::runId)
        .containsExactly("r2", "r3");
    assertThat(runs.page("d", "state", false, 10, 0))
        .extracting(DagRunRow::runId)
        .containsExactly("r1", "r3", "r2");
    assertThat(runs.count("d")).isEqualTo(3);
    assertThat(runs.count("none")).isZero();
    assertThatThrownBy(() -> runs.page("d", "conf; DROP TABLE dag_run", false, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pagesAndCountsRunsByAFilterOfStatesAndDates() {
    run("d", "a", QUEUED, 0);
    run("d", "b", RUNNING, 1);
    run("d", "c", RUNNING, 2);
    run("e", "x", RUNNING, 3);

    RunFilter running =
        new RunFilter(null, List.of(RUNNING, FAILED), null, null, null, null, null, null);
    assertThat(runs().count(running)).isEqualTo(3);
    assertThat(runs().page(running, "logical_date", true, 2, 0))
        .extracting(DagRunRow::runId)
        .containsExactly("x", "c");
    assertThat(runs().page(running, "logical_date", true, 2, 2))
        .extracting(DagRunRow::runId)
        .containsExactly("b");

    RunFilter days =
        new RunFilter(
            "d",
            List.of(),
            T0.plusSeconds(86_400),
            T0.plusSeconds(2 * 86_400),
            null,
            null,
            null,
            null);
    assertThat(runs().page(days, "id", false, 10, 0))
        .extracting(DagRunRow::runId)
        .containsExactly("b", "c");
    assertThat(runs().count(RunFilter.of("d"))).isEqualTo(3);
    assertThat(
            runs()
                .count(
                    new RunFilter(
                        null, List.of(), null, null, null, null, T0.plusSeconds(4 * 86_400), null)))
        .isEqualTo(1); // run_after is a day after the logical date
  }
}
