package io.updraft.bench;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code updraft standalone} (a child process, {@link UpdraftChild}) running one task that prints
 * {@code megabytes} MB — as 100-byte lines, or as one line without a line feed followed by a short
 * last line — while its resident memory is read from {@code /proc} every 50 ms (issue 10:
 * standalone grew from 168 MB to 843 MB while a task printed 200 MB; target: under 300 MB whatever
 * a task prints). Main figure: seconds from standalone being ready to the try's last log line;
 * {@code rss_mb}: the highest VmRSS sampled meanwhile; {@code rss_before_mb}: VmRSS when it was
 * ready; {@code peak_rss_mb}: VmHWM at the end (start-up included).
 */
record PrintFootprintWorkload(int megabytes, boolean oneLine, boolean smoke) implements Workload {
  private static final String READY = "DAGs in ";
  private static final String FOOTER = "[updraft] try finished: ";

  @Override
  public String scenario() {
    return "print-footprint";
  }

  @Override
  public String label() {
    return megabytes + "MB-" + (oneLine ? "one-line" : "lines");
  }

  @Override
  public int tasks() {
    return 1;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Path dags = fresh.folder().resolve("dags");
      Files.createDirectories(dags);
      Files.writeString(dags.resolve("print.yaml"), dag(megabytes * 1_000_000L, oneLine));
      ProcessBuilder pb =
          UpdraftChild.command(
              fresh,
              databases.kind(),
              Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"),
              "--dags-folder",
              dags.toString(),
              "standalone",
              "--port",
              "0");
      pb.redirectErrorStream(true);
      Process child = pb.start();
      try {
        UpdraftChild.Output output = new UpdraftChild.Output(child, READY);
        output.awaitLine(Duration.ofMinutes(smoke ? 2 : 5));
        window.open();
        long start = System.nanoTime();
        double before = ProcStatus.rssMb(child.pid());
        double highest = before;
        Path logs = UpdraftChild.home(fresh).resolve("logs").resolve("dag_id=print");
        long deadline = start + Duration.ofMinutes(smoke ? 2 : 10).toNanos();
        String footer;
        while ((footer = footer(logs)) == null) {
          if (System.nanoTime() > deadline || !child.isAlive()) {
            throw new IllegalStateException(
                "the printing task did not finish in time: " + output.tail());
          }
          highest = Math.max(highest, ProcStatus.rssMb(child.pid()));
          Thread.sleep(50); // a sample every 50 ms
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        highest = Math.max(highest, ProcStatus.rssMb(child.pid()));
        if (!footer.contains(FOOTER + "success")) {
          throw new IllegalStateException("the printing task did not succeed: " + footer);
        }
        return new Sample(
            seconds,
            Map.of(
                "rss_mb", highest,
                "rss_before_mb", before,
                "peak_rss_mb", ProcStatus.peakRssMb(child.pid())));
      } finally {
        window.close();
        UpdraftChild.stop(child);
      }
    }
  }

  /** A DAG whose one run starts at once (catchup off) and whose task prints {@code bytes}. */
  private static String dag(long bytes, boolean oneLine) {
    String print =
        oneLine
            ? "head -c " + bytes + " /dev/zero | tr '\\\\0' x; echo; echo done"
            : "yes "
                + "0123456789".repeat(10).substring(0, 99)
                + " | head -c "
                + bytes
                + "; echo done";
    return """
        dag_id: print
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - {task_id: t, operator: shell, command: "%s"}
        """
        .formatted(print);
  }

  /** The footer of the try's log once it is written, else null. */
  private static String footer(Path logs) throws Exception {
    if (!Files.isDirectory(logs)) {
      return null;
    }
    Optional<Path> log;
    try (Stream<Path> files = Files.walk(logs)) {
      log = files.filter(p -> p.getFileName().toString().equals("attempt=1.log")).findFirst();
    }
    if (log.isEmpty()) {
      return null;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.get().toFile(), "r")) {
      long size = f.length();
      byte[] tail = new byte[(int) Math.min(400, size)];
      f.seek(size - tail.length);
      f.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8);
      int at = text.lastIndexOf(FOOTER);
      return at < 0 ? null : text.substring(at);
    }
  }
}
