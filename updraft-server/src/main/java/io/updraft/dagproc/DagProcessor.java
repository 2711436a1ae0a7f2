package io.updraft.dagproc;

import io.updraft.metrics.DagProcessingMetrics;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DAG processor: keeps the metadata database in step with the dags folder, parsing each file
 * once per change and nothing else ever. A scan looks at every file's size and modification time
 * (and those of the files it reads); only a file whose stamp moved is hashed, and only a file whose
 * content hash changed is parsed — in parallel, each with a timeout, so a slow or broken file never
 * holds up the others. What a parse gave is written by {@link DagWriter}; the DAGs of a file that
 * is gone are deactivated. Scans run on file-system events ({@link FolderWatcher}) and, as a
 * backstop, every {@code refreshInterval}.
 */
public final class DagProcessor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DagProcessor.class);

  /**
   * @param fileTimeout {@code dag_processor.file_timeout}: a parse taking longer is an import error
   * @param refreshInterval how often the whole folder is looked at even without events
   * @param parsers files parsed at once
   */
  public record Settings(
      Path folder,
      boolean pausedAtCreation,
      Duration fileTimeout,
      Duration refreshInterval,
      int parsers) {
    public Settings {
      Objects.requireNonNull(folder, "folder");
      if (parsers < 1) {
        throw new IllegalArgumentException("parsers must be at least 1, not " + parsers);
      }
    }
  }

  /** What one scan did. */
  public record Report(
      int files, int parsed, int written, int unchanged, int filesWithErrors, int deactivated) {
    public boolean changedAnything() {
      return written > 0 || deactivated > 0;
    }
  }

  /** What the processor knows of a file since its last parse. */
  private record Known(
      FileStamp stamp,
      String hash,
      List<Path> inputs,
      Set<String> dagIds,
      boolean racy,
      boolean broken) {}

  private final Settings settings;
  private final Database db;
  private final Clock clock;
  private final DagWriter writer;
  private final DagFileParsers parsers;
  private final ExecutorService parsing;
  private final Map<Path, Known> known = new HashMap<>();
  private final Map<String, Path> owners = new HashMap<>();

  /** Files refused a dag_id another file owns: parsed again when the owner lets go of it. */
  private final Map<String, Set<Path>> waiting = new HashMap<>();

  private FolderWatcher watcher;
  private Thread loop;
  private volatile boolean stopping;
  private final Object signal = new Object();
  private boolean signalled;
  private boolean scannedOnce;
  private boolean rescanSoon;

  public DagProcessor(Database db, Settings settings, Clock clock) {
    this(db, settings, clock, new DagFileParsers());
  }

  DagProcessor(Database db, Settings settings, Clock clock, DagFileParsers parsers) {
    this.settings = settings;
    this.db = db;
    this.clock = clock;
    this.writer = new DagWriter(db, settings.pausedAtCreation());
    this.parsers = parsers;
    this.parsing =
        Executors.newFixedThreadPool(
            settings.parsers(), Thread.ofPlatform().daemon().name("dag-parser-", 0).factory());
  }

  /** One look at the whole folder; parses and writes what changed. */
  public synchronized Report scan() {
    Report report = scanOnce();
    while (rescanSoon) { // a dag_id became free: its waiting files are parsed at once
      rescanSoon = false;
      Report again = scanOnce();
      report =
          new Report(
              report.files(),
              report.parsed() + again.parsed(),
              report.written() + again.written(),
              report.unchanged() + again.unchanged(),
              again.filesWithErrors(),
              report.deactivated() + again.deactivated());
    }
    return report;
  }

  private Report scanOnce() {
    long startedAt = System.nanoTime();
    Report report = scanFolder();
    DagProcessingMetrics.scanned(System.nanoTime() - startedAt);
    return report;
  }

  private Report scanFolder() {
    Instant now = clock.instant();
    List<Path> present = DagFolder.dagFiles(settings.folder());
    List<Path> changed = new ArrayList<>();
    Map<Path, FileStamp> stamps = new HashMap<>();
    Map<Path, String> hashes = new HashMap<>();
    for (Path file : present) {
      Known k = known.get(file);
      FileStamp stamp = FileStamp.of(file, k == null ? List.of() : k.inputs());
      if (k != null && !k.racy() && stamp.equals(k.stamp())) {
        continue;
      }
      String hash = ContentHash.of(file, k == null ? List.of() : k.inputs());
      if (k != null && hash != null && hash.equals(k.hash())) {
        known.put(
            file,
            new Known(
                stamp, hash, k.inputs(), k.dagIds(), stamp.recentAt(Instant.now()), k.broken()));
        continue;
      }
      changed.add(file);
      stamps.put(file, stamp);
      hashes.put(file, hash);
    }
    Map<Path, YamlDagParser.Parsed> results = parseAll(changed);
    int written = 0;
    int unchanged = 0;
    int removed = 0;
    int broken;
    for (Path file : changed) {
      YamlDagParser.Parsed parsed = results.get(file);
      DagFileResult result = claimDagIds(file, parsed);
      DagWriter.Written w = writer.write(result, now);
      written += w.written();
      unchanged += w.unchanged();
      removed += w.deactivated();
      remember(file, result, parsed.result().inputs(), stamps.get(file), hashes.get(file));
    }
    int deactivated = removed + forgetDeleted(new HashSet<>(present));
    broken = (int) known.values().stream().filter(Known::broken).count();
    if (!scannedOnce) {
      // Files deleted while no processor ran: their DAGs are still active in the database.
      deactivated += writer.deactivateFilesNotIn(present.stream().map(Path::toString).toList());
      scannedOnce = true;
    }
    Report report =
        new Report(present.size(), changed.size(), written, unchanged, broken, deactivated);
    if (report.changedAnything()) {
      ChangeSignals.announce(db); // schedulers in other processes see the new versions at once
    }
    if (report.parsed() > 0 || deactivated > 0) {
      log.info(
          "dags folder: {} file(s) parsed, {} with errors now, {} DAG version(s) written, {}"
              + " deactivated",
          report.parsed(),
          broken,
          written,
          deactivated);
    }
    return report;
  }

  /**
   * Scans now, then again on every change in the folder and every refresh interval, on a thread of
   * its own, calling {@code onChange} after a scan that changed the database.
   */
  public Report start(Runnable onChange) {
    Report first = scan();
    watcher = FolderWatcher.start(settings.folder(), this::signal);
    loop =
        Thread.ofPlatform()
            .name("dag-processor")
            .daemon()
            .start(
                () -> {
                  while (!stopping) {
                    try {
                      awaitSignal();
                      if (stopping) {
                        return;
                      }
                      Thread.sleep(20); // editors save in several steps: take them as one change
                      if (scan().changedAnything()) {
                        onChange.run();
                      }
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      log.error("scanning the dags folder failed; trying again later", e);
                    }
                  }
                });
    return first;
  }

  private void signal() {
    synchronized (signal) {
      signalled = true;
      signal.notifyAll();
    }
  }

  private void awaitSignal() throws InterruptedException {
    synchronized (signal) {
      long deadline = System.nanoTime() + settings.refreshInterval().toNanos();
      while (!signalled && !stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
      signalled = false;
    }
  }

  /** Parses one file, and records how long that took under its path in the dags folder. */
  private YamlDagParser.Parsed timedParse(Path file) throws InterruptedException {
    long startedAt = System.nanoTime();
    try {
      return parsers.parse(file, settings.fileTimeout());
    } finally {
      Path folder = settings.folder();
      String name = file.startsWith(folder) ? folder.relativize(file).toString() : file.toString();
      DagProcessingMetrics.fileParsed(name, System.nanoTime() - startedAt);
    }
  }

  private Map<Path, YamlDagParser.Parsed> parseAll(List<Path> files) {
    Map<Path, Future<YamlDagParser.Parsed>> futures = new LinkedHashMap<>();
    for (Path file : files) {
      futures.put(file, parsing.submit(() -> timedParse(file)));
    }
    Map<Path, YamlDagParser.Parsed> out = new HashMap<>();
    for (Map.Entry<Path, Future<YamlDagParser.Parsed>> e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        out.put(e.getKey(), DagFileParsers.failed(e.getKey(), "parsing failed: " + ex.getCause()));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while parsing the dags folder", ex);
      }
    }
    return out;
  }

  /**
   * Leaves out, as errors, the DAGs whose dag_id another file already defines: the first file to
   * define a dag_id keeps it until it no longer does.
   */
  private DagFileResult claimDagIds(Path file, YamlDagParser.Parsed parsed) {
    return parsed.withoutDagIdsOf(
        id -> {
          Path owner = owners.get(id);
          if (owner == null || owner.equals(file)) {
            return null;
          }
          waiting.computeIfAbsent(id, k -> new HashSet<>()).add(file);
          return owner;
        });
  }

  private void remember(
      Path file, DagFileResult result, List<Path> inputs, FileStamp stamp, String hash) {
    Known before = known.get(file);
    Set<String> ids = new HashSet<>();
    result.dags().forEach(d -> ids.add(d.dagId()));
    if (result.hasErrors() && before != null) {
      ids.addAll(before.dagIds()); // a broken file keeps its DAGs at their last good version
    }
    if (before != null) {
      before.dagIds().stream()
          .filter(id -> !ids.contains(id))
          .forEach(id -> owners.remove(id, file));
    }
    ids.forEach(id -> owners.putIfAbsent(id, file));
    // The stamp must cover the inputs the parse just reported, so that editing them re-parses.
    FileStamp full = inputs.isEmpty() ? stamp : FileStamp.of(file, inputs);
    String fullHash = inputs.isEmpty() ? hash : ContentHash.of(file, inputs);
    known.put(
        file,
        new Known(full, fullHash, inputs, ids, full.recentAt(Instant.now()), result.hasErrors()));
  }

  /** {@code file} no longer defines {@code dagId}: a file waiting for it is parsed again. */
  private void release(String dagId, Path file) {
    if (owners.remove(dagId, file)) {
      Set<Path> next = waiting.remove(dagId);
      if (next != null) {
        next.forEach(known::remove);
        rescanSoon = true;
      }
    }
  }

  private int forgetDeleted(Set<Path> present) {
    List<Path> gone = known.keySet().stream().filter(p -> !present.contains(p)).sorted().toList();
    if (gone.isEmpty()) {
      return 0;
    }
    for (Path file : gone) {
      known.remove(file).dagIds().forEach(id -> release(id, file));
    }
    return writer.deactivateFiles(gone.stream().map(Path::toString).toList());
  }

  @Override
  public void close() {
    stopping = true;
    signal();
    if (watcher != null) {
      watcher.close();
    }
    if (loop != null) {
      try {
        loop.join(TimeUnit.SECONDS.toMillis(settings.fileTimeout().toSeconds() + 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    parsing.shutdownNow();
  }
}
