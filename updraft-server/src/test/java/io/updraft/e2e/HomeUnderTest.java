package io.updraft.e2e;

import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An end-to-end test's Updraft home: its {@code dags} folder, its metadata database (the home's
 * embedded H2, or a scratch database on a server) and the {@code updraft} JVMs started on it. The
 * one place the e2e tests set these up; {@link #close()} ends the JVMs before it drops the
 * database.
 */
final class HomeUnderTest implements AutoCloseable {
  private final Path home;
  private final Path dags;
  private final ScratchDatabase scratch;
  private final Map<String, String> env;
  private final List<ChildJvm> processes = new ArrayList<>();
  private Database held;

  private HomeUnderTest(Path home, Path dags, ScratchDatabase scratch, Map<String, String> env) {
    this.home = home;
    this.dags = dags;
    this.scratch = scratch;
    this.env = env;
  }

  /**
   * Makes a scratch database on {@code backend} (null: the home's embedded H2) and the {@code dags}
   * folder below {@code home}; every {@code updraft} JVM gets {@code env}.
   */
  static HomeUnderTest create(Path home, TestBackend backend, Map<String, String> env)
      throws Exception {
    ScratchDatabase scratch = backend == null ? null : backend.create();
    try {
      return new HomeUnderTest(home, Files.createDirectories(home.resolve("dags")), scratch, env);
    } catch (Exception e) {
      if (scratch != null) {
        scratch.close();
      }
      throw e;
    }
  }

  Path home() {
    return home;
  }

  Path dags() {
    return dags;
  }

  /** The scratch database's URL, or null for the home's embedded H2 (no {@code --db-url}). */
  String dbUrl() {
    return scratch == null ? null : scratch.config().url();
  }

  /** The URL the test itself opens: the scratch database or the home's H2 file. */
  String url() {
    return dbUrl() != null ? dbUrl() : DatabaseConfig.defaultUrl(home);
  }

  /**
   * Starts {@code updraft --home … --dags-folder … [--db-url …] <command…>} as a JVM of its own.
   */
  ChildJvm updraft(String name, String... command) {
    return updraft(name, List.of(command));
  }

  /** As {@link #updraft(String, String...)}. */
  ChildJvm updraft(String name, List<String> command) {
    return updraft(name, Map.of(), command);
  }

  /** As {@link #updraft(String, String...)}, with {@code moreEnv} for this process only. */
  ChildJvm updraft(String name, Map<String, String> moreEnv, List<String> command) {
    List<String> args =
        new ArrayList<>(List.of("--home", home.toString(), "--dags-folder", dags.toString()));
    if (dbUrl() != null) {
      args.addAll(List.of("--db-url", dbUrl()));
    }
    args.addAll(command);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(moreEnv);
    ChildJvm p = ChildJvm.updraft(name, home, all, args);
    processes.add(p);
    return p;
  }

  void migrate() {
    db(
        d -> {
          d.migrate();
          return null;
        });
  }

  /**
   * Opens the test's own connection and keeps it to the end; every later {@link #db} look uses it.
   * On H2 after a crash this takes over the file the dead JVM served, and keeps the test from
   * taking it over again and again while the next JVM tries to open it.
   */
  Database hold() {
    held = Database.open(url());
    return held;
  }

  /**
   * The database for one look: the held connection if {@link #hold()} was called, else one opened
   * and closed for it (on H2 through the JVM serving the file, if one runs).
   */
  <T> T db(Function<Database, T> work) {
    if (held != null) {
      return work.apply(held);
    }
    try (Database db = Database.open(url())) {
      return work.apply(db);
    }
  }

  /** Ends every JVM started here, then the held connection, then drops the scratch database. */
  @Override
  public void close() throws Exception {
    for (ChildJvm p : processes) {
      p.close();
    }
    if (held != null) {
      held.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }
}
