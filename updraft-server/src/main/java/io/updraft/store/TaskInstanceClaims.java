package io.updraft.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Queued task instances as remote workers claim them (through the API server's execution endpoints,
 * decisions/0148), and what a remote executor counts against its parallelism.
 *
 * <p>A claim reads its candidates in the order the scheduler queued them (priority first) without
 * locks, then locks them by id {@code FOR UPDATE SKIP LOCKED} ({@link LockByIds}): locking in the
 * ordered read would lock every queued row of the queues on H2 and InnoDB (shared/LIMITS.md) and
 * serialize every other claimer behind the first. The caller starts what it locked in the same
 * transaction; the start's own state guard ({@code WHERE state = 'queued'}) makes a claim safe even
 * where the lock is not taken.
 */
public final class TaskInstanceClaims {
  private static final String CANDIDATES =
      """
      SELECT id FROM task_instance
      WHERE state = 'queued' AND queue IN (%s)
      ORDER BY priority_weight DESC, queued_dttm, id
      LIMIT ?
      """;

  private static final String LOCK =
      """
      SELECT id FROM task_instance
      WHERE id IN (%s) AND state = 'queued'
      ORDER BY id
      FOR UPDATE SKIP LOCKED
      """;

  private static final String ACTIVE_OF_JOB =
      """
      SELECT COUNT(*) FROM task_instance
      WHERE queued_by_job_id = ? AND state IN ('queued', 'running')
      """;

  private final Jdbc jdbc;
  private final LockByIds candidates = new LockByIds(CANDIDATES);
  private final LockByIds lock = new LockByIds(LOCK);

  public TaskInstanceClaims(Database database) {
    this.jdbc = database.jdbc();
  }

  /**
   * Up to {@code limit} queued task instances of {@code queues}, best first, locked until the
   * caller's transaction ends (which this requires); those another claimer holds are skipped.
   */
  public List<Long> lockQueued(List<String> queues, int limit) {
    jdbc.requireTransaction("claiming queued task instances");
    if (queues.isEmpty() || limit < 1) {
      return List.of();
    }
    // Read a few more than asked: some may be held by another claimer.
    int read = Math.min(limit * 2 + 2, 200);
    List<Long> ids =
        jdbc.query(
            "reading queued task instances of queues " + queues,
            candidates.sql(queues.size()),
            ps -> ps.setInt(candidates.bind(ps, 1, queues), read),
            rs -> rs.getLong(1));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Long> locked =
        jdbc.query(
            "locking queued task instances",
            lock.sql(ids.size()),
            ps -> lock.bind(ps, 1, ids),
            rs -> rs.getLong(1));
    // Keep the candidates' order (priority), not the lock's (id).
    List<Long> ordered = new ArrayList<>();
    for (Long id : ids) {
      if (locked.contains(id) && !ordered.contains(id) && ordered.size() < limit) {
        ordered.add(id);
      }
    }
    return ordered;
  }

  /**
   * Task instances a scheduler job queued that no try has finished yet (queued, or running on a
   * worker): what a remote executor counts against its parallelism (decisions/0150).
   */
  public int activeOfJob(long jobId) {
    return jdbc.queryOne(
            "counting the task instances of scheduler job " + jobId,
            ACTIVE_OF_JOB,
            ps -> ps.setLong(1, jobId),
            rs -> rs.getInt(1))
        .orElse(0);
  }
}
