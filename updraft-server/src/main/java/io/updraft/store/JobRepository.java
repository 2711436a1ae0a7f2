package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code job} table: every scheduler, triggerer, worker and DAG processor registers at start
 * and heartbeats while it runs, so others can tell whether it is alive (and adopt its work when it
 * is not).
 */
public final class JobRepository {
  public static final String RUNNING = "running";
  public static final String SUCCESS = "success";
  public static final String FAILED = "failed";

  private static final String COLUMNS =
      "id, job_type, state, hostname, pid, latest_heartbeat, start_date, end_date";

  private static final String INSERT =
      """
      INSERT INTO job (job_type, state, hostname, pid, latest_heartbeat, start_date)
      VALUES (?, 'running', ?, ?, ?, ?)
      """;

  private static final String HEARTBEAT =
      """
      UPDATE job
      SET latest_heartbeat = ?
      WHERE id = ? AND state = 'running'
      """;

  private static final String FAIL_STALE =
      """
      UPDATE job
      SET state = 'failed', end_date = ?
      WHERE job_type = ? AND state = 'running' AND latest_heartbeat < ?
      """;

  private static final String FINISH =
      """
      UPDATE job
      SET state = ?, end_date = ?
      WHERE id = ? AND state = 'running'
      """;

  private static final String GET = "SELECT " + COLUMNS + " FROM job WHERE id = ?";

  private static final String ALIVE =
      "SELECT "
          + COLUMNS
          + """
           FROM job
          WHERE job_type = ? AND state = 'running' AND latest_heartbeat >= ?
          ORDER BY id
          """;

  private static final String LATEST_HEARTBEAT =
      """
      SELECT MAX(latest_heartbeat) AS latest
      FROM job
      WHERE job_type = ? AND state = 'running'
      """;

  private static final String LATEST_HEARTBEAT_EVER =
      """
      SELECT MAX(latest_heartbeat) AS latest
      FROM job
      WHERE job_type = ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public JobRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** Records a starting process (state running, first heartbeat now); returns its job id. */
  public long register(JobType type, String hostname, int pid, Instant now) {
    return jdbc.insertReturningId(
        "registering a " + type.id() + " job",
        INSERT,
        ps -> {
          ps.setString(1, type.id());
          ps.setString(2, hostname);
          ps.setInt(3, pid);
          dialect.setInstant(ps, 4, now);
          dialect.setInstant(ps, 5, now);
        });
  }

  /**
   * Records a heartbeat; false when the job is no longer running (it was finished, possibly by
   * another process that judged it dead): the caller should stop.
   */
  public boolean heartbeat(long id, Instant now) {
    return jdbc.update(
            "recording the heartbeat of job " + id,
            HEARTBEAT,
            ps -> {
              dialect.setInstant(ps, 1, now);
              ps.setLong(2, id);
            })
        > 0;
  }

  /** Ends a running job as success or failed; false when it was not running. */
  public boolean finish(long id, boolean success, Instant now) {
    return jdbc.update(
            "finishing job " + id,
            FINISH,
            ps -> {
              ps.setString(1, success ? SUCCESS : FAILED);
              dialect.setInstant(ps, 2, now);
              ps.setLong(3, id);
            })
        > 0;
  }

  /**
   * Ends as failed every running job of a type whose latest heartbeat is older than {@code
   * threshold}: its process is taken for dead, and its work is handed to others. Returns how many.
   */
  public int failStale(JobType type, Instant threshold, Instant now) {
    return jdbc.update(
        "failing " + type.id() + " jobs without heartbeat",
        FAIL_STALE,
        ps -> {
          dialect.setInstant(ps, 1, now);
          ps.setString(2, type.id());
          dialect.setInstant(ps, 3, threshold);
        });
  }

  public java.util.Optional<JobRow> get(long id) {
    return jdbc.queryOne("reading job " + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  /** Running jobs of a type whose latest heartbeat is at or after {@code threshold}. */
  public List<JobRow> aliveSince(JobType type, Instant threshold) {
    return jdbc.query(
        "listing live " + type.id() + " jobs",
        ALIVE,
        ps -> {
          ps.setString(1, type.id());
          dialect.setInstant(ps, 2, threshold);
        },
        this::row);
  }

  /**
   * The newest heartbeat of any running job of a type (what Airflow's health check reads); null
   * when none runs.
   */
  public Instant latestHeartbeat(JobType type) {
    return latest(type, LATEST_HEARTBEAT);
  }

  /**
   * The latest heartbeat of any job of a type, ended ones too (a worker taken for dead keeps its
   * last heartbeat); null if none ever ran.
   */
  public Instant latestHeartbeatEver(JobType type) {
    return latest(type, LATEST_HEARTBEAT_EVER);
  }

  private Instant latest(JobType type, String sql) {
    return jdbc.queryOne(
            "reading the latest " + type.id() + " heartbeat",
            sql,
            ps -> ps.setString(1, type.id()),
            rs -> java.util.Optional.ofNullable(dialect.getInstant(rs, "latest")))
        .flatMap(o -> o)
        .orElse(null);
  }

  private JobRow row(ResultSet rs) throws SQLException {
    return new JobRow(
        rs.getLong("id"),
        JobType.fromId(rs.getString("job_type")),
        rs.getString("state"),
        rs.getString("hostname"),
        rs.getInt("pid"),
        dialect.getInstant(rs, "latest_heartbeat"),
        dialect.getInstant(rs, "start_date"),
        dialect.getInstant(rs, "end_date"));
  }
}
