package io.updraft.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code job} rows of remote workers (decisions/0169): registered, heart-beaten and ended by
 * the API server on a worker's behalf (the worker holds no database credentials), with the queues
 * it serves and its concurrency. Heartbeats and ends go through {@link JobRepository}.
 */
public final class WorkerJobs {

  /**
   * A worker as health, the API and the UI show it.
   *
   * @param state running while it heartbeats; success once stopped, failed once taken for dead
   */
  public record Worker(
      long id,
      String hostname,
      int pid,
      List<String> queues,
      int concurrency,
      Instant latestHeartbeat,
      Instant startDate,
      String state) {}

  private static final String INSERT =
      """
      INSERT INTO job (job_type, state, hostname, pid, latest_heartbeat, start_date, queues,
                       concurrency)
      VALUES ('worker', 'running', ?, ?, ?, ?, ?, ?)
      """;

  private static final String COLUMNS =
      "id, hostname, pid, queues, concurrency, latest_heartbeat, start_date, state";

  private static final String ALIVE =
      "SELECT "
          + COLUMNS
          + """
           FROM job
          WHERE job_type = 'worker' AND state = 'running' AND latest_heartbeat >= ?
          ORDER BY id
          """;

  private static final String RECENT =
      "SELECT "
          + COLUMNS
          + """
           FROM job
          WHERE job_type = 'worker'
          ORDER BY latest_heartbeat DESC, id DESC
          LIMIT ?
          """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public WorkerJobs(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** Records a starting worker (state running, first heartbeat now); returns its job id. */
  public long register(
      String hostname, int pid, List<String> queues, int concurrency, Instant now) {
    return jdbc.insertReturningId(
        "registering a worker job",
        INSERT,
        ps -> {
          ps.setString(1, hostname);
          ps.setInt(2, pid);
          dialect.setInstant(ps, 3, now);
          dialect.setInstant(ps, 4, now);
          ps.setString(5, String.join(",", queues));
          ps.setInt(6, concurrency);
        });
  }

  /** Running workers whose latest heartbeat is at or after {@code threshold}, oldest first. */
  public List<Worker> aliveSince(Instant threshold) {
    return jdbc.query(
        "listing live workers", ALIVE, ps -> dialect.setInstant(ps, 1, threshold), this::worker);
  }

  /**
   * The workers that heartbeat last, at most {@code limit}, live or ended: the live ones first
   * (they heartbeat most recently), then the stopped and the dead.
   */
  public List<Worker> recent(int limit) {
    return jdbc.query("listing workers", RECENT, ps -> ps.setInt(1, limit), this::worker);
  }

  private Worker worker(java.sql.ResultSet rs) throws java.sql.SQLException {
    String q = rs.getString("queues");
    return new Worker(
        rs.getLong("id"),
        rs.getString("hostname"),
        rs.getInt("pid"),
        q == null || q.isEmpty() ? List.of() : Arrays.asList(q.split(",")),
        rs.getInt("concurrency"),
        dialect.getInstant(rs, "latest_heartbeat"),
        dialect.getInstant(rs, "start_date"),
        rs.getString("state"));
  }
}
