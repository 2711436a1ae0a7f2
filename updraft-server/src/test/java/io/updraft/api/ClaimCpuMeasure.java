package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.store.TestBackend;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Not a test: a measure of the API server's CPU per claimed try (decisions/0180), run only when
 * {@code UPDRAFT_MEASURE_CLAIMS} is set, on PostgreSQL. The server runs in this JVM; the client's
 * share is what it costs to send a claim and read its answer, the same before and after a change to
 * the server. Prints the process's CPU per claim (median of rounds); asserts only that claims work.
 */
@EnabledIfEnvironmentVariable(named = "UPDRAFT_MEASURE_CLAIMS", matches = ".+")
class ClaimCpuMeasure extends ApiServerTestBase {
  private static final int ROUNDS = 7;
  private static final int CLAIMS = 100;

  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Test
  void cpuPerClaim() {
    String queue = "measure_" + System.nanoTime();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Double> perClaim = new ArrayList<>();
    for (int round = 0; round <= ROUNDS; round++) {
      for (int i = 0; i < CLAIMS; i++) {
        queuedInstance("extract", queue);
      }
      long cpu = os.getProcessCpuTime();
      for (int i = 0; i < CLAIMS; i++) {
        JsonNode w =
            send(
                    "POST",
                    "/execution/task-instances/claim",
                    tokens.get(Role.WORKER),
                    "{\"queues\": [\"" + queue + "\"], \"hostname\": \"m\"}")
                .json()
                .get("workloads");
        assertThat(w).hasSize(1);
      }
      double ms = (os.getProcessCpuTime() - cpu) / 1e6 / CLAIMS;
      if (round > 0) { // round 0 warms up
        perClaim.add(ms);
      }
    }
    Collections.sort(perClaim);
    System.out.printf(
        "claim-cpu: median %.3f ms of CPU per claim (rounds %s)%n",
        perClaim.get(perClaim.size() / 2), perClaim);
  }
}
