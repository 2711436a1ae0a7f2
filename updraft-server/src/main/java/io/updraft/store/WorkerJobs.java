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

  /** A live worker as health and the API show it. */
  public record Worker(
      long id,
      String hostname,
      int pid,
      List<String> queues,
      int concurrency,
      Instant latestHeartbeat,
      Instant startDate) {}

  private static final String INSERT =
      """
      INSERT INTO job (job_type, state, hostname, pid, latest_heartbeat, start_date, queues,
                       concurrency)
      VALUES ('worker', 'running', ?, ?, ?, ?, ?, ?)
      """;

  private static final String ALIVE =
      """
      SELECT id, hostname, pid, queues, concurrency, latest_heartbeat, start_date
      FROM job
      WHERE job_type = 'worker' AND state = 'running' AND latest_heartbeat >= ?
      ORDER BY id
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
        "listing live workers",
        ALIVE,
        ps -> dialect.setInstant(ps, 1, threshold),
        rs -> {
          String q = rs.getString("queues");
          return new Worker(
              rs.getLong("id"),
              rs.getString("hostname"),
              rs.getInt("pid"),
              q == null || q.isEmpty() ? List.of() : Arrays.asList(q.split(",")),
              rs.getInt("concurrency"),
              dialect.getInstant(rs, "latest_heartbeat"),
              dialect.getInstant(rs, "start_date"));
        });
  }
}
