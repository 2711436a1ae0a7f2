package io.updraft.worker;

import java.time.Instant;

/**
 * Called every heartbeat interval while a try's process runs, on the thread supervising the try.
 * The supervisor will write the task instance's heartbeat here; it should return quickly.
 */
@FunctionalInterface
public interface Heartbeat {

  void beat(Instant now);

  static Heartbeat none() {
    return now -> {};
  }
}
