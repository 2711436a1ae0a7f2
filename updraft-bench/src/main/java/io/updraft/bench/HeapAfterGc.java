package io.updraft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM, measured from outside with the JDK's {@code jcmd}: {@code GC.run}
 * (a full collection: what is left is what the process holds) and then {@code GC.heap_info}'s
 * {@code used} figure. No agent and no code in the measured process; the JVM must be this user's
 * and of a compatible JDK (the one running the bench, as {@code bin/updraft} and {@code
 * bin/updraft-bench} both use {@code bin/find-jdk}).
 */
final class HeapAfterGc {
  private static final Pattern G1_USED = Pattern.compile("garbage-first heap[^\\n]*?used (\\d+)K");
  private static final Pattern GENERATION_USED = Pattern.compile("generation[^\\n]*?used (\\d+)K");

  private HeapAfterGc() {}

  /** Heap in use right after a full collection of JVM {@code pid}, in MiB. */
  static double usedMb(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    return parseUsedKb(jcmd(pid, "GC.heap_info")) / 1024.0;
  }

  /**
   * G1's one heap line ({@code total T, used U}, or from JDK 25 {@code total reserved R, committed
   * C, used U}), or the sum of the generations of the serial and parallel collectors.
   */
  static long parseUsedKb(String heapInfo) throws IOException {
    Matcher g1 = G1_USED.matcher(heapInfo);
    if (g1.find()) {
      return Long.parseLong(g1.group(1));
    }
    long sum = 0;
    boolean any = false;
    for (Matcher m = GENERATION_USED.matcher(heapInfo); m.find(); ) {
      sum += Long.parseLong(m.group(1));
      any = true;
    }
    if (!any) {
      throw new IOException("no heap figure in jcmd GC.heap_info's output: " + heapInfo);
    }
    return sum;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IOException(jcmd + " is missing: the bench needs a JDK, not a JRE");
    }
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
