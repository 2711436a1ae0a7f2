package io.updraft.ui;

import java.util.List;

/**
 * A row of the DAG list.
 *
 * @param runs the newest runs, oldest first (the newest at the right, as Airflow shows them)
 * @param nextRun the next scheduled run's logical date, or "" for none
 */
public record DagListItem(
    String dagId,
    String owners,
    String schedule,
    boolean paused,
    String nextRun,
    List<String> tags,
    List<RunDot> runs) {}
