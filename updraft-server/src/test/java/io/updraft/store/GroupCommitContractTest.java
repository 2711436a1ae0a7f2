package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#inGroupCommit}: units of many threads share one transaction and commit; each
 * unit's result or exception reaches its own caller; nothing of a failed unit is committed, all of
 * the others are.
 */
abstract class GroupCommitContractTest extends RepositoryContractTest {
  private static final int FOLLOWERS = 30;

  @BeforeEach
  void probeTable() {
    db.jdbc()
        .update("creating", "CREATE TABLE gc_probe (k VARCHAR(40) PRIMARY KEY)", Jdbc.Binder.NONE);
    insert("taken");
  }

  @Test
  void unitsWaitingForACommitShareTheNextAndKeepTheirOwnOutcome() throws Exception {
    long[] before = db.groupCommitCounts();
    int lanes = db.groupCommitLanes();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(FOLLOWERS + lanes);
    try {
      List<Future<Integer>> leaders = holdEveryLane(threads, release, true);
      List<Future<Integer>> followers = new ArrayList<>();
      for (int i = 0; i < FOLLOWERS; i++) {
        int n = i;
        followers.add(
            threads.submit(
                () ->
                    db.inGroupCommit(
                        "unit " + n,
                        () -> {
                          insert("k" + n);
                          if (n % 3 == 1) {
                            throw new IllegalStateException("unit " + n + " refuses");
                          }
                          if (n % 3 == 2) {
                            insert(
                                "taken",
                                "unit " + n); // a unique violation: PostgreSQL aborts without a
                            // savepoint
                          }
                          return n;
                        })));
      }
      waitFor(() -> db.groupCommitQueued() == FOLLOWERS);
      release.countDown();

      for (Future<Integer> leader : leaders) {
        assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
      }
      for (int i = 0; i < FOLLOWERS; i++) {
        Future<Integer> f = followers.get(i);
        switch (i % 3) {
          case 0 -> assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(i);
          case 1 ->
              assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                  .isInstanceOf(ExecutionException.class)
                  .cause()
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("unit " + i + " refuses");
          default ->
              assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                  .isInstanceOf(ExecutionException.class)
                  .cause()
                  .isInstanceOf(DatabaseException.class)
                  .hasMessageContaining("unit " + i);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    long[] after = db.groupCommitCounts();
    // Each leader's transaction, then one for all 30 that waited for a commit.
    assertThat(after[0] - before[0]).isEqualTo(lanes + 1);
    assertThat(after[1] - before[1]).isEqualTo(FOLLOWERS + lanes);
    List<String> expected = new ArrayList<>(List.of("taken"));
    for (int i = 0; i < lanes; i++) {
      expected.add("leader" + i);
    }
    for (int i = 0; i < FOLLOWERS; i += 3) {
      expected.add("k" + i);
    }
    assertThat(keys()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aGroupWhoseCommitFailsRunsEachUnitAgainAlone() throws Exception {
    // A deferred unique constraint fails at COMMIT, after every unit of the group ran well.
    assumeTrue(db.dialect() instanceof Dialect.Postgres, "only PostgreSQL defers constraints");
    db.jdbc()
        .update(
            "creating",
            "CREATE TABLE gc_deferred (k VARCHAR(40), CONSTRAINT gc_deferred_k UNIQUE (k)"
                + " DEFERRABLE INITIALLY DEFERRED)",
            Jdbc.Binder.NONE);
    db.jdbc().update("seeding", "INSERT INTO gc_deferred (k) VALUES ('taken')", Jdbc.Binder.NONE);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(10 + db.groupCommitLanes());
    try {
      List<Future<Integer>> leaders = holdEveryLane(threads, release, false);
      List<Future<Integer>> followers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = i;
        followers.add(
            threads.submit(
                () ->
                    db.inGroupCommit(
                        "unit " + n,
                        () -> {
                          insert("k" + n);
                          if (n == 5) {
                            db.jdbc()
                                .update(
                                    "deferred",
                                    "INSERT INTO gc_deferred (k) VALUES ('taken')",
                                    Jdbc.Binder.NONE);
                          }
                          return n;
                        })));
      }
      waitFor(() -> db.groupCommitQueued() == 10);
      release.countDown();
      for (Future<Integer> leader : leaders) {
        assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
      }
      for (int i = 0; i < 10; i++) {
        Future<Integer> f = followers.get(i);
        if (i == 5) {
          assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
              .cause()
              .isInstanceOf(DatabaseException.class)
              .hasMessageContaining("committing");
        } else {
          assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(i);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(keys())
        .containsExactlyInAnyOrder("taken", "k0", "k1", "k2", "k3", "k4", "k6", "k7", "k8", "k9");
  }

  @Test
  void aLoneUnitThatFailsFailsItsCallerOnlyAndKeepsNothingOfItsOwn() {
    long[] before = db.groupCommitCounts();
    // Alone in its group, a unit runs without a savepoint: its failure undoes its transaction.
    assertThatThrownBy(
            () ->
                db.inGroupCommit(
                    "lone",
                    () -> {
                      insert("lone-first");
                      return insert("taken");
                    }))
        .isInstanceOf(DatabaseException.class);
    assertThat(db.inGroupCommit("next", () -> insert("next"))).isEqualTo(1);
    assertThat(keys()).containsExactlyInAnyOrder("taken", "next");
    long[] after = db.groupCommitCounts();
    assertThat(after[0] - before[0]).isEqualTo(2);
    assertThat(after[1] - before[1]).isEqualTo(2);
  }

  @Test
  void insideATransactionOfItsThreadItJoinsIt() {
    assertThatThrownBy(
            () ->
                db.runInTransaction(
                    () -> {
                      db.inGroupCommit("joined", () -> insert("joined"));
                      throw new IllegalStateException("outer fails");
                    }))
        .hasMessage("outer fails");
    assertThat(keys()).containsExactly("taken");
  }

  @Test
  void anInterruptedCallersUnitIsCommittedAndItsInterruptKept() throws Exception {
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  db.inGroupCommit("interrupted", () -> insert("interrupted"));
                  stillInterrupted.set(Thread.currentThread().isInterrupted());
                });
    t.join(30_000);
    assertThat(stillInterrupted).isTrue();
    assertThat(keys()).containsExactlyInAnyOrder("taken", "interrupted");
  }

  @Test
  void onAServerDatabaseGroupsAreCommittedSideBySide() throws Exception {
    int lanes = db.groupCommitLanes();
    assertThat(lanes).isEqualTo(db.dialect() instanceof Dialect.H2 ? 1 : 4);
    assumeTrue(lanes > 1, "H2 commits one group at a time");
    // Every lane holds a unit inside its transaction at one instant: none waits for another's
    // commit, and each commits on its own.
    long[] before = db.groupCommitCounts();
    CountDownLatch allIn = new CountDownLatch(lanes);
    ExecutorService threads = Executors.newFixedThreadPool(lanes);
    try {
      List<Future<Integer>> units = new ArrayList<>();
      for (int i = 0; i < lanes; i++) {
        int n = i;
        units.add(
            threads.submit(
                () ->
                    db.inGroupCommit(
                        "side " + n,
                        () -> {
                          insert("side" + n);
                          allIn.countDown();
                          await(allIn);
                          return n;
                        })));
      }
      for (int i = 0; i < lanes; i++) {
        assertThat(units.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
    } finally {
      threads.shutdownNow();
    }
    long[] after = db.groupCommitCounts();
    assertThat(after[0] - before[0]).isEqualTo(lanes);
    assertThat(keys()).hasSize(lanes + 1);
  }

  /**
   * Starts one unit per lane, each held inside its transaction until {@code release}: units that
   * come next wait for a commit. With {@code write}, each inserts {@code leader<i>} first.
   */
  private List<Future<Integer>> holdEveryLane(
      ExecutorService threads, CountDownLatch release, boolean write) {
    int lanes = db.groupCommitLanes();
    CountDownLatch in = new CountDownLatch(lanes);
    List<Future<Integer>> leaders = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      int n = i;
      leaders.add(
          threads.submit(
              () ->
                  db.inGroupCommit(
                      "leader " + n,
                      () -> {
                        if (write) {
                          insert("leader" + n);
                        }
                        in.countDown();
                        await(release);
                        return -1;
                      })));
    }
    await(in);
    return leaders;
  }

  private int insert(String key) {
    return insert(key, "test");
  }

  private int insert(String key, String who) {
    return db.jdbc()
        .update(
            who + " inserting " + key,
            "INSERT INTO gc_probe (k) VALUES (?)",
            ps -> ps.setString(1, key));
  }

  private List<String> keys() {
    return db.jdbc()
        .query("reading", "SELECT k FROM gc_probe", Jdbc.Binder.NONE, rs -> rs.getString(1));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          while (!condition.getAsBoolean()) {
            Thread.sleep(5);
          }
        });
  }
}
