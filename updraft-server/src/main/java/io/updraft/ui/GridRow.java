package io.updraft.ui;

import java.util.List;

/** A row of the grid: a task, and its cell in each run shown (oldest run first). */
public record GridRow(String taskId, boolean removed, List<GridCell> cells) {}
