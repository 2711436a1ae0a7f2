package io.updraft.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, not as the JVM's own shutdown. Left to the JVM,
 * a signal runs the shutdown hooks concurrently (the database's among them) and ends the process
 * with 143 or 130; handled here, the long-running command stops in its own order and exits 0, as a
 * service manager expects of a clean stop. Where the signals cannot be handled (a JVM started with
 * {@code -Xrs}), the shutdown hook still stops the service, only with the signal's exit code.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /**
   * Runs {@code stop} on the first SIGTERM or SIGINT; a later one only says that the stop is under
   * way.
   */
  static void onStop(Runnable stop, Runnable again) {
    AtomicBoolean requested = new AtomicBoolean();
    sun.misc.SignalHandler handler =
        signal -> {
          if (requested.compareAndSet(false, true)) {
            stop.run();
          } else {
            again.run();
          }
        };
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
      } catch (IllegalArgumentException e) {
        log.debug("cannot handle SIG{}: {}; the shutdown hook stops instead", name, e.toString());
      }
    }
  }
}
