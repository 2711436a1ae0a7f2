package io.updraft.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.Connection;
import io.updraft.sensors.CheckResult.Status;
import io.updraft.store.TestBackend;
import io.updraft.worker.operators.HttpRequestRunner;
import io.updraft.worker.operators.JdbcPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** H2, and the per-connection limit measured by an SQL function H2 calls in this JVM. */
public class H2SqlChecksTest extends SqlChecksContractTest {
  static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  static final AtomicInteger MOST = new AtomicInteger();

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  @Override
  Connection connection(String url) {
    return new Connection("db", "h2", url, null, null, null, null, Map.of());
  }

  /** Called by H2 in this JVM as the SQL function SLOW(): counts the queries running at once. */
  public static int slow() throws InterruptedException {
    int now = IN_FLIGHT.incrementAndGet();
    MOST.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(100);
      return 1;
    } finally {
      IN_FLIGHT.decrementAndGet();
    }
  }

  /** At most N checks at once per connection id; the others wait for a slot, none is lost. */
  @Test
  void atMostNChecksAtOncePerConnection() throws Exception {
    exec("create alias slow for \"" + H2SqlChecksTest.class.getName() + ".slow\"");
    Checks limited =
        new Checks(JdbcPools.shared(), HttpRequestRunner.shared(), 2, Duration.ofSeconds(30));
    CheckEnv env = env();
    CountDownLatch start = new CountDownLatch(1);
    List<CheckResult> results = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                      results.add(limited.check(new Condition.Sql("db", "select slow()"), env));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.HOLDS));
    assertThat(MOST.get()).isBetween(1, 2);
  }
}
