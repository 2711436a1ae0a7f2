package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.util.Hostname;
import io.updraft.worker.Durations;
import io.updraft.worker.remote.ExecutionClient;
import io.updraft.worker.remote.RemoteWorker;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft worker}: a remote worker (decisions/0148). It holds no database credentials: it
 * claims task instances of its queues through the API server's execution endpoints with the token
 * in {@code UPDRAFT_WORKER_TOKEN}, runs them as the local executor does, and reports back.
 */
@Command(
    name = "worker",
    description = {
      "Run a remote worker until stopped (Ctrl-C or SIGTERM): it claims task instances of its"
          + " queues from the API server (schedulers with core.executor remote queue them) and runs"
          + " them, with its token in UPDRAFT_WORKER_TOKEN (POST /auth/token of a user with role"
          + " worker). It needs no database access.",
      "It renews its token through the API server before it expires"
          + " (api_auth.jwt_expiration_time), and shows as a worker job (GET /api/v2/workers,"
          + " /api/v2/monitor/health) while it runs.",
      "On SIGTERM it claims nothing more; its running tries get SIGTERM, then SIGKILL after"
          + " scheduler.shutdown_grace, and are handed back to run again at once."
    })
final class WorkerCommand implements Callable<Integer>, LogLevels.LongRunning {
  static final String TOKEN_ENV = "UPDRAFT_WORKER_TOKEN";
  static final String API_URL_ENV = "UPDRAFT_API_URL";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description = "The API server, e.g. http://scheduler-host:8080 (default: $UPDRAFT_API_URL).")
  String apiUrl;

  @Option(
      names = "--queues",
      paramLabel = "Q1,Q2",
      description = "The queues to take task instances of (default: default).")
  String queues = "default";

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Tries run at once (default 16, Airflow's worker_concurrency).")
  int concurrency = 16;

  @Override
  public Integer call() throws InterruptedException {
    String url = apiUrl != null ? apiUrl : System.getenv(API_URL_ENV);
    if (url == null || url.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "worker needs the API server's URL: --api-url http://host:8080 or " + API_URL_ENV);
    }
    String token = System.getenv(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "worker needs its token in "
              + TOKEN_ENV
              + ": POST /auth/token as a user with role worker (updraft users create --role"
              + " worker)");
    }
    if (concurrency < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--concurrency must be at least 1, not " + concurrency);
    }
    List<String> qs =
        Arrays.stream(queues.split(",")).map(String::strip).filter(q -> !q.isEmpty()).toList();
    if (qs.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--queues needs at least one queue name, as --queues default,gpu");
    }
    ExecutionClient client = new ExecutionClient(url);
    return SchedulerCommand.runUntilStopped(
        spec, new Service(Commands.settings(spec), client, token.strip(), qs, concurrency, url));
  }

  /** The worker as a long-running service: its claim loop on a thread, stopped gracefully. */
  private static final class Service implements LongRunningService {
    private final Settings settings;
    private final ExecutionClient client;
    private final String token;
    private final List<String> queues;
    private final int concurrency;
    private final String url;
    private RemoteWorker worker;
    private Thread loop;
    private Duration grace;
    private PrintWriter messages;
    private boolean closed;

    Service(
        Settings settings,
        ExecutionClient client,
        String token,
        List<String> queues,
        int concurrency,
        String url) {
      this.settings = settings;
      this.client = client;
      this.token = token;
      this.queues = queues;
      this.concurrency = concurrency;
      this.url = url;
    }

    @Override
    public void start(PrintWriter out, PrintWriter messages) {
      this.messages = messages;
      grace = settings.config().duration(ConfigKey.SHUTDOWN_GRACE);
      Duration heartbeatTimeout =
          settings.config().duration(ConfigKey.TASK_INSTANCE_HEARTBEAT_TIMEOUT);
      worker =
          new RemoteWorker(
              client,
              token,
              new RemoteWorker.Settings(
                  queues,
                  concurrency,
                  Hostname.ofThisMachine(),
                  settings.home().resolve("logs"),
                  settings.runnerSettings(),
                  heartbeatTimeout),
              Clock.systemUTC());
      // Before the first claim: a kill -9 while the reaper was still being started for the first
      // task process would leave that process to run on beside its retry (decisions/0186).
      io.updraft.worker.OrphanReaper.prepare();
      loop = Thread.ofPlatform().name("worker-claims").start(worker::run);
      out.println(
          "Updraft worker is running (queues "
              + String.join(",", queues)
              + ", concurrency "
              + concurrency
              + ") — Ctrl-C stops it.");
      out.println("  API:   " + url);
      out.println("  logs:  " + settings.home().resolve("logs") + " (shipped to the API server)");
      out.flush();
    }

    @Override
    public void awaitStop() throws InterruptedException {
      loop.join();
    }

    @Override
    public void requestStop() {
      close();
    }

    @Override
    public boolean stoppedItself() {
      return false;
    }

    @Override
    public String alreadyStopping() {
      return "Already stopping: running tries are being handed back (grace "
          + Durations.human(grace)
          + ").";
    }

    @Override
    public synchronized void close() {
      if (closed || worker == null) {
        return;
      }
      closed = true;
      int running = worker.runningTries();
      messages.println(
          "Stopping: no new work claimed; ending "
              + running
              + " running "
              + (running == 1 ? "try" : "tries")
              + " (grace "
              + Durations.human(grace)
              + ")…");
      messages.flush();
      int back = worker.stop(grace);
      messages.println(back == 0 ? "Stopped." : "Stopped; " + back + " tries handed back.");
      messages.flush();
    }
  }
}
