package io.updraft.store;

import io.updraft.sensors.Condition;
import io.updraft.sensors.ExternalStates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ExternalStates} read from {@code dag}, {@code dag_run} and {@code task_instance}: all the
 * {@code external_task} conditions of one round answered by one statement per {@value #TARGETS}
 * distinct targets (10,000 sensors waiting on one run cost one query, not 10,000).
 *
 * <p>The statement starts from the DAGs named (so an unknown DAG is told apart from a missing run),
 * joins the runs named by run id or logical date, and joins the tasks named. Every combination
 * comes back; the answers are picked out here. A mapped task (several map indexes) answers the
 * state its instances share, or, when they differ, the least finished one's ({@link #merge}).
 */
public final class DatabaseExternalStates implements ExternalStates {
  /** Distinct targets per statement: keeps each IN list far within every engine's limits. */
  static final int TARGETS = 250;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public DatabaseExternalStates(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** What one condition points at; conditions with the same target share one answer. */
  private record Target(String dagId, String taskId, String runId, Instant logicalDate) {
    static Target of(Condition.ExternalTask c) {
      return new Target(c.dagId(), c.taskId(), c.runId(), c.logicalDate());
    }
  }

  /** One row of the statement: a stored DAG, maybe one of its runs, maybe one task of it. */
  private record Row(
      String dagId,
      String runId,
      Instant logicalDate,
      String runState,
      String taskId,
      String taskState) {}

  @Override
  public Map<Condition.ExternalTask, Answer> states(Collection<Condition.ExternalTask> conditions) {
    Set<Target> targets = new LinkedHashSet<>();
    conditions.forEach(c -> targets.add(Target.of(c)));
    Map<Target, Answer> byTarget = new HashMap<>();
    List<Target> all = new ArrayList<>(targets);
    for (int from = 0; from < all.size(); from += TARGETS) {
      List<Target> chunk = all.subList(from, Math.min(all.size(), from + TARGETS));
      byTarget.putAll(answer(chunk));
    }
    Map<Condition.ExternalTask, Answer> out = new HashMap<>();
    conditions.forEach(c -> out.put(c, byTarget.get(Target.of(c))));
    return out;
  }

  private Map<Target, Answer> answer(List<Target> targets) {
    List<String> dagIds = distinct(targets.stream().map(Target::dagId).toList());
    List<String> runIds =
        distinct(targets.stream().map(Target::runId).filter(r -> r != null).toList());
    List<Instant> dates =
        distinct(targets.stream().map(Target::logicalDate).filter(d -> d != null).toList());
    List<String> taskIds =
        distinct(targets.stream().map(Target::taskId).filter(t -> t != null).toList());
    List<Row> rows =
        jdbc.query(
            "reading the states of " + targets.size() + " external task target(s)",
            sql(dagIds.size(), runIds.size(), dates.size(), taskIds.size()),
            ps -> {
              // In the statement's order: the runs' ON, the tasks' ON, then the WHERE.
              int i = 1;
              for (String id : runIds) {
                ps.setString(i++, id);
              }
              for (Instant d : dates) {
                dialect.setInstant(ps, i++, d);
              }
              for (String id : taskIds) {
                ps.setString(i++, id);
              }
              for (String id : dagIds) {
                ps.setString(i++, id);
              }
            },
            this::row);
    Map<Target, Answer> out = new HashMap<>();
    for (Target t : targets) {
      out.put(t, pick(t, rows));
    }
    return out;
  }

  private static Answer pick(Target t, List<Row> rows) {
    boolean dagKnown = false;
    String runState = null;
    boolean runFound = false;
    List<String> taskStates = new ArrayList<>();
    for (Row r : rows) {
      if (!r.dagId().equals(t.dagId())) {
        continue;
      }
      dagKnown = true;
      boolean sameRun =
          r.runId() != null
              && (t.runId() != null
                  ? r.runId().equals(t.runId())
                  : t.logicalDate().equals(r.logicalDate()));
      if (!sameRun) {
        continue;
      }
      runFound = true;
      runState = r.runState();
      if (t.taskId() != null && t.taskId().equals(r.taskId())) {
        taskStates.add(r.taskState());
      }
    }
    if (!dagKnown) {
      return Answer.UNKNOWN_DAG;
    }
    if (!runFound) {
      return Answer.NO_RUN;
    }
    return Answer.of(t.taskId() == null ? runState : merge(taskStates));
  }

  /**
   * The state of a task's instances in one run: none yet (null), the one they share, or — mapped
   * instances that differ — a failure first, else the first that has not finished.
   */
  static String merge(List<String> states) {
    Set<String> distinct = new LinkedHashSet<>();
    states.forEach(s -> distinct.add(s == null ? "none" : s));
    if (states.isEmpty()) {
      return null;
    }
    if (distinct.size() == 1) {
      return states.get(0);
    }
    for (String failure : List.of("failed", "upstream_failed")) {
      if (distinct.contains(failure)) {
        return failure;
      }
    }
    for (String s : distinct) {
      if (!Set.of("success", "skipped", "removed").contains(s)) {
        return s.equals("none") ? null : s;
      }
    }
    return distinct.contains("success") ? "success" : distinct.iterator().next();
  }

  /**
   * The statement for these list lengths; an empty list leaves its part out. Built per call: it
   * runs once per check round, not in a hot loop.
   */
  private static String sql(int dags, int runs, int dates, int tasks) {
    List<String> runMatch = new ArrayList<>();
    if (runs > 0) {
      runMatch.add("r.run_id IN (" + marks(runs) + ")");
    }
    if (dates > 0) {
      runMatch.add("r.logical_date IN (" + marks(dates) + ")");
    }
    String taskJoin =
        tasks == 0
            ? ""
            : " LEFT JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id"
                + " AND ti.task_id IN ("
                + marks(tasks)
                + ")";
    return "SELECT d.dag_id, r.run_id, r.logical_date, r.state AS run_state, "
        + (tasks == 0 ? "NULL AS task_id, NULL AS ti_state" : "ti.task_id, ti.state AS ti_state")
        + " FROM dag d LEFT JOIN dag_run r ON r.dag_id = d.dag_id AND ("
        + String.join(" OR ", runMatch)
        + ")"
        + taskJoin
        + " WHERE d.dag_id IN ("
        + marks(dags)
        + ")";
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static <T> List<T> distinct(List<T> values) {
    return new ArrayList<>(new LinkedHashSet<>(values));
  }

  private Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString("dag_id"),
        rs.getString("run_id"),
        dialect.getInstant(rs, "logical_date"),
        rs.getString("run_state"),
        rs.getString("task_id"),
        rs.getString("ti_state"));
  }
}
