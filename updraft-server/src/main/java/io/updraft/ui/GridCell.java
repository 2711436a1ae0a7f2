package io.updraft.ui;

/**
 * A cell of the grid: a task in a run.
 *
 * @param state the instance's state; for a mapped task the state that matters most among its
 *     instances; "" when the run has no such instance
 * @param ti {@code run_id|task_id|map_index} for the live feed; "" for a mapped task's summary or
 *     no instance
 * @param href the task instance's page; "" when there is none
 * @param mapped how many mapped instances (map_index ≥ 0) the cell stands for; 0 when unmapped
 */
public record GridCell(String state, String ti, String href, String title, int mapped) {}
