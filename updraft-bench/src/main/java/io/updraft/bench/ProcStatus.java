package io.updraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's memory from Linux's {@code /proc/<pid>/status}, and the CPU time it used from {@code
 * /proc/<pid>/stat}.
 */
final class ProcStatus {
  private ProcStatus() {}

  /** Resident set size now ({@code VmRSS}), in MiB. */
  static double rssMb(long pid) throws IOException {
    return field(read(pid), "VmRSS");
  }

  /** Resident memory of its own ({@code RssAnon}: not files such as the JDK's, shared), in MiB. */
  static double rssAnonMb(long pid) throws IOException {
    return field(read(pid), "RssAnon");
  }

  /** The highest resident set size the process has had ({@code VmHWM}), in MiB. */
  static double peakRssMb(long pid) throws IOException {
    return field(read(pid), "VmHWM");
  }

  /**
   * CPU seconds the process has used so far, user and system ({@code utime + stime} of {@code
   * /proc/<pid>/stat}, in clock ticks of {@code getconf CLK_TCK}); the difference over a window,
   * divided by the window's length, is the share of one core it used.
   */
  static double cpuSeconds(long pid) throws IOException {
    return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
        / (double) CLOCK_TICKS;
  }

  /** {@code utime + stime} of a {@code stat} file's text, of a process or of one of its threads. */
  private static long cpuTicks(String stat) {
    String[] f = fieldsAfterName(stat);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * The fields after the command name, which is in parentheses and may hold spaces: state is the
   * first; utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
   */
  private static String[] fieldsAfterName(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
  }

  /**
   * CPU seconds used by the process's children that it has waited for, user and system ({@code
   * cutime + cstime}, fields 16 and 17 of {@code /proc/<pid>/stat}).
   */
  static double childCpuSeconds(long pid) throws IOException {
    String[] f = fieldsAfterName(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) CLOCK_TICKS;
  }

  /**
   * CPU seconds this JVM's JIT compiler threads have used so far (the threads named {@code C1
   * CompilerThread…} and {@code C2 CompilerThread…} in {@code /proc/self/task}); threads that ended
   * are not counted, so a difference over a window can come out a little low.
   */
  static double compilerCpuSeconds() throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String text;
        try {
          text = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          ticks += cpuTicks(text);
        }
      }
    }
    return ticks / (double) CLOCK_TICKS;
  }

  private static final long CLOCK_TICKS = clockTicks();

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100; // Linux's USER_HZ nearly everywhere
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static List<String> read(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      throw new IOException(
          status
              + " does not exist — the process ended, or this is not Linux (idle-footprint"
              + " reads /proc)");
    }
    return Files.readAllLines(status);
  }

  /** A {@code Name: 1234 kB} line's value in MiB. */
  static double field(List<String> lines, String name) throws IOException {
    for (String line : lines) {
      if (line.startsWith(name + ":")) {
        String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) / 1024.0;
      }
    }
    throw new IOException("no " + name + " line in /proc status");
  }
}
