package io.updraft.ui;

/** A run as a coloured dot: its id, state and when it ran (for the dot's title). */
public record RunDot(String runId, String state, String when) {}
