package io.updraft.bench;

import io.updraft.store.Database;
import io.updraft.store.Dialect;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds of the PostgreSQL backends serving a database (every process's connections), read
 * from {@code /proc}: the server runs on this machine. The backend is where a scheduler on
 * PostgreSQL spends most of its time, so its CPU per task instance is the figure that noise from
 * other processes on the machine disturbs least.
 */
final class PgBackends {
  private PgBackends() {}

  /** CPU seconds so far by backend pid; empty on H2 or when the server is elsewhere. */
  static Map<Long, Double> cpu(Database db) {
    Map<Long, Double> out = new HashMap<>();
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return out;
    }
    List<Long> pids =
        db.jdbc()
            .query(
                "pg backends",
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
                ps -> {},
                rs -> rs.getLong(1));
    for (long pid : pids) {
      try {
        out.put(pid, ProcStatus.cpuSeconds(pid));
      } catch (IOException | RuntimeException e) {
        // ended meanwhile, or not on this machine: not counted
      }
    }
    return out;
  }

  /**
   * CPU seconds used between two readings: the backends there at the end, less what they had used
   * at the start (0 for new ones). A backend that ended in between is missed.
   */
  static double delta(Map<Long, Double> before, Map<Long, Double> after) {
    double d = 0;
    for (var e : after.entrySet()) {
      d += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
    }
    return d;
  }
}
