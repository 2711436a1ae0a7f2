package io.updraft.dagproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a cheap look at a DAG file and the files it reads (a {@code for_each} data file) says: size
 * and modification time of each. Equal stamps mean "unchanged" without reading a byte; different
 * stamps lead to a content hash, and only a different hash to a parse.
 */
record FileStamp(List<Entry> entries) {
  record Entry(Path path, long size, long modifiedNanos) {}

  static FileStamp of(Path file, List<Path> inputs) {
    List<Entry> entries = new ArrayList<>(1 + inputs.size());
    entries.add(entry(file));
    for (Path input : inputs) {
      entries.add(entry(input));
    }
    return new FileStamp(List.copyOf(entries));
  }

  /**
   * Whether a file was modified so shortly before {@code now} that a further write in the same
   * clock tick could leave size and time unchanged (file times are as coarse as the kernel's tick):
   * such a stamp is not trusted, and the next scan hashes the file again.
   */
  boolean recentAt(java.time.Instant now) {
    long limit = TimeUnit.MILLISECONDS.toNanos(now.toEpochMilli()) - RACY_NANOS;
    return entries.stream().anyMatch(e -> e.modifiedNanos() > limit);
  }

  private static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static Entry entry(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return new Entry(path, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    } catch (IOException e) {
      return new Entry(path, -1, -1); // missing: differs from any stamp of an existing file
    }
  }
}
