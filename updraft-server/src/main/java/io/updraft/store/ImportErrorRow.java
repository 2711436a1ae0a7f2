package io.updraft.store;

import java.time.Instant;

/**
 * A row of {@code import_error}: why a DAG file could not be loaded.
 *
 * @param lineNumber null when the error has no position
 * @param columnNumber null when the error has no position
 */
public record ImportErrorRow(
    long id,
    String filename,
    Integer lineNumber,
    Integer columnNumber,
    String message,
    String stacktrace,
    Instant timestamp) {}
