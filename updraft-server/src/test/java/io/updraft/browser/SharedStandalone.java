package io.updraft.browser;

import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.cli.StandaloneServer;
import io.updraft.scheduler.DagActions;
import io.updraft.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@code standalone} for every browser test class of the run (its start, a migration of H2 and
 * the first parse of the DAG folder, is the slow part): the examples' DAG folder plus {@code
 * ui_demo}, kept in JUnit's root store and stopped, its home deleted, when the run ends.
 */
final class SharedStandalone implements ExtensionContext.Store.CloseableResource {
  /**
   * Skips (or fails, under CI) a class when there is no browser, before anything starts; gives a
   * {@code StandaloneServer} parameter the run's one.
   */
  static final class Extension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
      Browser.require();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == StandaloneServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return of(context).server;
    }
  }

  /** Unpaused, no schedule: runs only when triggered; the first task takes a moment. */
  static final String DEMO_DAG =
      """
      dag_id: ui_demo
      description: Three quick steps for the browser tests
      schedule: null
      tags: [ui, example]
      tasks:
        - {task_id: extract, operator: shell, command: "echo extracting rows; sleep 2; echo extracted 42 rows"}
        - {task_id: transform, operator: shell, command: "echo transforming", upstream: [extract]}
        - {task_id: load, operator: shell, command: "echo loaded", upstream: [transform]}
      """;

  static final String VIEWER = "vera";
  static final String USER = "uma";
  static final String PASSWORD = "browser-test-password";

  final Path home;
  final StandaloneServer server;

  private SharedStandalone() {
    try {
      home = Files.createTempDirectory("updraft-browser-");
      Path dags = Files.createDirectories(home.resolve("dags"));
      try (Stream<Path> examples = Files.list(examplesFolder())) {
        for (Path f : examples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
          Files.copy(f, dags.resolve(f.getFileName()));
        }
      }
      Files.writeString(dags.resolve("ui_demo.yaml"), DEMO_DAG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = StandaloneServer.start(home, Map.of());
    try (Database db = server.openDatabase()) {
      Instant now = Instant.now();
      DagActions.setPaused(db, "ui_demo", false, "test", now);
      UserAccounts users = new UserAccounts(db);
      users.create(VIEWER, Role.VIEWER, PASSWORD, "test", now);
      users.create(USER, Role.USER, PASSWORD, "test", now);
    }
  }

  /** The run's standalone, started by the first class that asks. */
  private static SharedStandalone of(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            SharedStandalone.class, k -> new SharedStandalone(), SharedStandalone.class);
  }

  @Override
  public void close() throws IOException {
    server.close();
    try (Stream<Path> all = Files.walk(home)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Path examplesFolder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/dags"))) {
        return p.resolve("examples/dags");
      }
    }
    throw new IllegalStateException("no examples/dags above " + Path.of("").toAbsolutePath());
  }
}
