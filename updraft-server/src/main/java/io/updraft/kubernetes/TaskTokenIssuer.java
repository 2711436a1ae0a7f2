package io.updraft.kubernetes;

/**
 * Issues the short-lived token a pod's {@code updraft tasks run} shows the API server: it names one
 * try of one task instance and lets it do nothing else (the execution API's task tokens).
 */
@FunctionalInterface
public interface TaskTokenIssuer {
  /** A token for try {@code tryNumber} (1-based) of task instance {@code taskInstanceId}. */
  String issue(long taskInstanceId, int tryNumber);
}
