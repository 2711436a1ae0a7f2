package io.updraft.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A Java Flight Recording of the measured parts only (--jfr FILE), with the JDK's {@code profile}
 * settings. A {@link Recording} starts and stops once, so each measured part gets a recording of
 * its own; {@link #finish} joins them into one file — a JFR file is a sequence of self-contained
 * chunks, so the joined file opens in JDK Mission Control and {@code jfr print} as one recording.
 */
final class JfrWindow implements Window {
  private final Path target;
  private final Path parts;
  private final List<Path> written = new ArrayList<>();
  private Recording recording;

  JfrWindow(Path target) throws IOException {
    this.target = target.toAbsolutePath();
    this.parts = Files.createTempDirectory("updraft-bench-jfr-");
  }

  @Override
  public void open() {
    try {
      recording = new Recording(Configuration.getConfiguration("profile"));
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot load the JDK's 'profile' JFR settings: " + e, e);
    }
    Path part = parts.resolve("part-" + written.size() + ".jfr");
    try {
      recording.setDestination(part);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    recording.start();
    written.add(part);
  }

  @Override
  public void close() {
    if (recording != null) {
      recording.stop(); // writes the part to its destination
      recording.close();
      recording = null;
    }
  }

  /** Joins the parts into the target file; returns how many measured parts it holds. */
  int finish() throws IOException {
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(target)) {
      for (Path part : written) {
        Files.copy(part, out);
      }
    }
    BenchDatabases.deleteTree(parts);
    return written.size();
  }
}
