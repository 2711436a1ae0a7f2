package io.updraft.metrics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * StatsD export through a real UDP socket: what the process records arrives as StatsD lines under
 * Airflow's names and the configured prefix.
 */
class StatsdExportTest {

  @Test
  void metersArriveAsStatsdLinesUnderAirflowsNames() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(200);
      StatsdExport export =
          StatsdExport.start(
              new StatsdExport.Settings(
                  "127.0.0.1", socket.getLocalPort(), "airflow", Duration.ofMillis(100)));
      try (Metrics.Tracking executor = ExecutorMetrics.track(() -> 29, () -> 3)) {
        // Recorded together, as a run's last task and the run end: no line may be lost.
        TaskMetrics.finished("statsd_dag", "extract", TaskInstanceState.SUCCESS);
        SchedulerMetrics.dagRunFinished("statsd_dag", DagRunState.SUCCESS, Duration.ofMillis(1500));
        SchedulerMetrics.heartbeat();

        List<String> lines = new ArrayList<>();
        awaitLine(socket, lines, l -> l.equals("airflow.ti.finish.statsd_dag.extract.success:1|c"));
        awaitLine(socket, lines, l -> l.equals("airflow.ti_successes:1|c"));
        awaitLine(
            socket, lines, l -> l.equals("airflow.dagrun.duration.success.statsd_dag:1500|ms"));
        awaitLine(socket, lines, l -> l.equals("airflow.scheduler_heartbeat:1|c"));
        // The executor's running tries go to StatsD only (Prometheus reads them from the database).
        awaitLine(socket, lines, l -> l.equals("airflow.executor.running_tasks:3|g"));
        awaitLine(socket, lines, l -> l.matches("airflow\\.executor\\.open_slots:\\d+\\|g"));
      } finally {
        export.close();
      }
    }
  }

  @Test
  void aPortOutOfRangeIsRefusedWithTheKeyNamed() {
    assertThatThrownBy(
            () -> new StatsdExport.Settings("localhost", 70_000, "updraft", Duration.ofSeconds(1)))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("metrics.statsd_port");
  }

  /** Reads datagrams until one line matches, for at most 10 s. */
  private static void awaitLine(DatagramSocket socket, List<String> seen, Predicate<String> wanted)
      throws Exception {
    if (seen.stream().anyMatch(wanted)) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    byte[] buffer = new byte[65_536];
    while (System.nanoTime() < deadline) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      }
      String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        seen.add(line);
        if (wanted.test(line)) {
          return;
        }
      }
    }
    throw new AssertionError("no such StatsD line among " + new java.util.TreeSet<>(seen));
  }
}
