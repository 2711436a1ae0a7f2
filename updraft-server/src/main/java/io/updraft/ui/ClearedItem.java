package io.updraft.ui;

/** A task instance a clear would reset (or did), with the state it has. */
public record ClearedItem(String runId, String taskId, int mapIndex, String state) {}
