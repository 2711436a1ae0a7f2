package io.updraft.bundle;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running one of Updraft's own entry points with this JVM's java
 * and class path. Tuned for short lives: the C1 compiler only, the serial collector, and class-data
 * sharing — this JVM's own archive when the launcher gave it one (decisions/0025: ~70 ms less per
 * child), else the JDK's.
 */
public final class JavaCommand {
  private static final List<String> SHARED_ARCHIVE =
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-Xlog:cds"))
          .toList();

  private JavaCommand() {}

  /** {@code java <flags> -cp <this class path> mainClass args...}. */
  public static List<String> of(String mainClass, List<String> args) {
    return command(true, mainClass, args);
  }

  /**
   * For a child that lives on and runs user code many times (a warm operator JVM): both JIT
   * compilers, as code that runs long deserves, and a small first heap; otherwise as {@link #of}.
   */
  public static List<String> longLived(String mainClass, List<String> args) {
    return command(false, mainClass, args);
  }

  private static List<String> command(boolean shortLived, String mainClass, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (shortLived) {
      argv.add("-XX:TieredStopAtLevel=1");
    } else {
      // a small first heap that grows as user code needs: an idle warm JVM holds ~45 MiB of its
      // own memory instead of ~65 (decisions/0140)
      argv.add("-Xms4m");
    }
    argv.add("-XX:+UseSerialGC");
    argv.add("-XX:-UsePerfData");
    argv.add("-Xshare:auto");
    argv.addAll(SHARED_ARCHIVE);
    argv.add("-Djava.awt.headless=true");
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    argv.addAll(args);
    return argv;
  }
}
