package io.updraft.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.updraft.api.ApiServer;
import io.updraft.api.StandaloneAdmin;
import io.updraft.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code updraft standalone} in this JVM for tests outside this package (the browser tests): the
 * API with the web UI, the scheduler, the local executor (real processes), the triggerer and the
 * DAG processor on the home's {@code dags} folder, on H2 in the home. Its admin's password is read
 * from the file standalone writes.
 */
public final class StandaloneServer implements AutoCloseable {
  private static final Pattern API_URL =
      Pattern.compile("API: +http://127\\.0\\.0\\.1:(\\d+)/api/v2");

  private final Settings settings;
  private final SchedulerService service;
  private final int port;
  private final String adminPassword;

  private StandaloneServer(
      Path home, Map<String, String> env, Supplier<KubernetesClient> kubernetes) {
    settings = Settings.resolve(home, null, null, env);
    service =
        new SchedulerService(
            settings,
            Clock.systemUTC(),
            new SchedulerService.Mode(
                "standalone",
                true,
                true,
                true,
                new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30))));
    if (kubernetes != null) {
      service.withKubernetesClients(kubernetes);
    }
    StringWriter banner = new StringWriter();
    try {
      service.start(new PrintWriter(banner, true));
      Matcher m = API_URL.matcher(banner.toString());
      if (!m.find()) {
        throw new IllegalStateException("no API address in the banner: " + banner);
      }
      port = Integer.parseInt(m.group(1));
      adminPassword = Files.readString(home.resolve(StandaloneAdmin.FILE)).strip();
    } catch (IOException e) {
      service.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  /**
   * Starts standalone on {@code home} (its DAG files already in {@code home/dags}).
   *
   * @param env settings as environment variables ({@code UPDRAFT_CORE_...})
   */
  public static StandaloneServer start(Path home, Map<String, String> env) {
    return new StandaloneServer(home, env, null);
  }

  /**
   * {@link #start} with {@code core.executor: kubernetes} reaching the cluster with {@code
   * clients}.
   */
  static StandaloneServer start(
      Path home, Map<String, String> env, Supplier<KubernetesClient> clients) {
    return new StandaloneServer(home, env, clients);
  }

  /** The settings it runs with. */
  Settings settings() {
    return settings;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The password of {@code admin}, the user standalone creates. */
  public String adminPassword() {
    return adminPassword;
  }

  /** A second connection to standalone's database (the caller closes it). */
  public Database openDatabase() {
    return settings.openDatabase();
  }

  @Override
  public void close() {
    service.close();
  }
}
