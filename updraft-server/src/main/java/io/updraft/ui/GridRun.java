package io.updraft.ui;

/**
 * A column of the grid: a run, with its state, the date it shows, its page and the link that
 * selects it on the grid (for its actions).
 */
public record GridRun(
    String runId, String state, String when, String runType, String href, String selectHref) {}
