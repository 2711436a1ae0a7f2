package io.updraft.bundle;

import java.util.Map;

/**
 * One try of a custom operator, as the worker hands it to the child JVM (JSON in a file).
 *
 * @param bundle the path of the bundle's jar
 * @param className the operator's class, in the bundle
 * @param logicalDate and the data interval: ISO-8601 instants
 * @param args the task's args, templates rendered
 */
public record OperatorRequest(
    String bundle,
    String className,
    String dagId,
    String taskId,
    String runId,
    String logicalDate,
    String dataIntervalStart,
    String dataIntervalEnd,
    int tryNumber,
    Map<String, Object> params,
    Map<String, Object> args) {}
