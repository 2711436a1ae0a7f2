package io.updraft.store;

import io.updraft.state.DagRunState;
import java.time.Instant;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every repository's contract test: a fresh migrated database per test on the backend
 * of the subclass, a JVM zone that is not UTC, and a second thread to play another scheduler (the
 * transaction of {@link Jdbc#inTransaction} belongs to its thread).
 */
abstract class RepositoryContractTest {
  static final Instant T0 = Instant.parse("2024-03-10T06:59:59.123456Z");

  private static TimeZone savedZone;

  ScratchDatabase scratch;
  Database db;
  ExecutorService other;

  abstract TestBackend backend();

  @BeforeAll
  static void nonUtcJvmZone() {
    savedZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(StoreContractTest.JVM_ZONE));
  }

  @AfterAll
  static void restoreJvmZone() {
    TimeZone.setDefault(savedZone);
  }

  @BeforeEach
  void migratedDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    other = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void drop() throws Exception {
    if (other != null) { // null when the backend is skipped
      other.shutdownNow();
      other.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  /** Runs {@code work} on the other thread (its own connection and transaction) and waits. */
  <T> T onOtherThread(Supplier<T> work) {
    try {
      return other.submit(work::get).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A run of {@code dagId}, created with the given state, logical date {@code T0 + day days}. */
  long run(String dagId, String runId, DagRunState state, int day) {
    Instant logical = T0.plusSeconds(86_400L * day);
    return new DagRunRepository(db)
        .create(
            new NewDagRun(
                dagId,
                runId,
                RunType.SCHEDULED,
                state,
                logical,
                logical,
                logical.plusSeconds(86_400),
                logical.plusSeconds(86_400),
                null,
                "h1",
                null),
            T0);
  }
}
