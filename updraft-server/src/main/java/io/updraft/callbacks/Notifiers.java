package io.updraft.callbacks;

import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Notifier;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Sends one rendered notifier, writing what it did to the callback's log. Dispatches to {@link
 * ShellNotifier}, {@link HttpNotifier} and {@link EmailNotifier}.
 */
public final class Notifiers {
  /** How long one notifier may take before it is stopped and counted as failed. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final ShellNotifier shell;
  private final HttpNotifier http;
  private final EmailNotifier email;

  public Notifiers(ConnectionLookup connections, Duration timeout) {
    this.shell = new ShellNotifier(timeout);
    this.http = new HttpNotifier(timeout);
    this.email = new EmailNotifier(connections, timeout);
  }

  /**
   * Sends {@code notifier}; returns normally when it was delivered.
   *
   * @throws NotifierFailure when it was not, saying why in one line
   */
  public void send(Notifier notifier, java.nio.file.Path logFile, PrintWriter log)
      throws InterruptedException {
    switch (notifier) {
      case Notifier.Shell s -> shell.run(s, logFile, log);
      case Notifier.Http h -> http.send(h, log);
      case Notifier.Email e -> email.send(e, log);
    }
  }
}
