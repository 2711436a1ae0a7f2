package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.api.ApiServer;
import io.updraft.config.ConfigKey;
import io.updraft.metrics.StatsdExport;
import io.updraft.store.Database;
import io.updraft.ui.WebUi;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft api-server}: the REST API on the configured database until stopped. It keeps no
 * state of its own, so several may serve one database.
 */
@Command(
    name = "api-server",
    description =
        "Serve the REST API (/api/v2, /auth/token, /openapi.json) until stopped (Ctrl-C or"
            + " SIGTERM: requests under way finish; exit 0). The database must be migrated."
            + " Several API servers may share one database.")
final class ApiServerCommand implements Callable<Integer>, LogLevels.LongRunning {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "The address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every"
              + " interface).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "The port (default 8080).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    requirePort(port);
    Settings settings = Commands.settings(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stop = new CountDownLatch(1);
    StatsdExport.startIfOn(settings.config());
    try (Database db = Commands.openMigrated(settings);
        ApiServer server =
            startServer(
                db,
                new ApiServer.Settings(
                    host,
                    port,
                    settings.config().duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD),
                    settings.home().resolve("logs"),
                    settings.fernetKeys(),
                    settings.dagsFolder(),
                    settings.config().duration(ConfigKey.JWT_EXPIRATION_TIME)),
                Clock.systemUTC(),
                uiFiles(settings))) {
      Thread hook = new Thread(stop::countDown, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      StopSignals.onStop(
          stop::countDown,
          () -> {
            err.println("Already stopping.");
            err.flush();
          });
      out.println(
          "Updraft API server is running on "
              + url(host, server.port())
              + " (OpenAPI: "
              + url(host, server.port()).replace("/api/v2", "/openapi.json")
              + ") — Ctrl-C stops it.");
      out.println("  database:  " + db.displayUrl());
      out.println(
          "  web UI:    "
              + url(host, server.port()).replace("/api/v2", "/")
              + " (API browser: /docs)");
      out.println(
          "  sign in:   a user from 'updraft users create', in the UI or with POST /auth/token");
      out.flush();
      stop.await();
      err.println("Stopping: finishing the requests under way…");
      err.flush();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
    err.println("Stopped.");
    err.flush();
    return ExitCodes.OK;
  }

  /** What the web UI reads besides the database: this home's DAGs folder, logs and keys. */
  static WebUi.Files uiFiles(Settings settings) {
    return new WebUi.Files(
        settings.dagsFolder(), settings.home().resolve("logs"), settings.fernetKeys());
  }

  /** Starts the server, or one line saying why it cannot listen. */
  static ApiServer startServer(
      Database db, ApiServer.Settings settings, Clock clock, WebUi.Files files) {
    try {
      return ApiServer.start(db, settings, clock, List.of(new WebUi(files)));
    } catch (UpdraftException e) {
      throw e;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String why = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
      boolean portTaken = why.contains("in use");
      throw new UpdraftException(
          "the API server cannot listen on "
              + settings.host()
              + ":"
              + settings.port()
              + " ("
              + why
              + ") — "
              + (portTaken
                  ? "another server uses the port: choose another with --port"
                  : "--host must be an address of this machine (127.0.0.1, 0.0.0.0 for all)"));
    }
  }

  static void requirePort(int port) {
    if (port < 0 || port > 65_535) {
      throw new UpdraftException("--port must be 0 to 65535, not " + port);
    }
  }

  /** The API's base URL for a banner; a wildcard address is shown as this machine's loopback. */
  static String url(String host, int port) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    if (shown.contains(":")) {
      shown = "[" + shown + "]";
    }
    return "http://" + shown + ":" + port + "/api/v2";
  }
}
