package io.updraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's memory from Linux's {@code /proc/<pid>/status}. */
final class ProcStatus {
  private ProcStatus() {}

  /** Resident set size now ({@code VmRSS}), in MiB. */
  static double rssMb(long pid) throws IOException {
    return field(read(pid), "VmRSS");
  }

  /** The highest resident set size the process has had ({@code VmHWM}), in MiB. */
  static double peakRssMb(long pid) throws IOException {
    return field(read(pid), "VmHWM");
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
