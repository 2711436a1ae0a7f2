package io.updraft.e2e;

import io.updraft.store.Database;
import io.updraft.store.TestBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the end-to-end tests that start {@code updraft} JVMs on a home of their own: a {@link
 * HomeUnderTest} per test on {@link #backend()}, made before the subclass's own set-up and closed
 * (JVMs, then the scratch database) after its tear-down.
 */
abstract class HomeTestBase {
  private final Map<String, String> env;
  private final Duration bound;

  @TempDir Path home;

  /** Null only when {@link #backend()} was skipped (no server) or could not be made. */
  HomeUnderTest site;

  /**
   * @param env {@code UPDRAFT_*} settings for every {@code updraft} JVM of the test
   * @param bound how long {@link #await} waits at the most
   */
  HomeTestBase(Map<String, String> env, Duration bound) {
    this.env = env;
    this.bound = bound;
  }

  /** A scratch database's server, or null for the home's embedded H2. */
  abstract TestBackend backend();

  @BeforeEach
  void createHome() throws Exception {
    site = HomeUnderTest.create(home, backend(), env);
  }

  @AfterEach
  void closeHome() throws Exception {
    if (site != null) {
      site.close();
    }
  }

  /**
   * Waits for {@code ok}, a throwing look counting as not yet (a row not written yet, or H2 between
   * owners), with {@code p}'s output in the failure.
   */
  void await(String what, ChildJvm p, BooleanSupplier ok) {
    Await.untilQuietly(what, bound, ok, p);
  }

  /** One look at the database; see {@link HomeUnderTest#db}. */
  <T> T db(Function<Database, T> work) {
    return site.db(work);
  }
}
