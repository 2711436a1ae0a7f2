/**
 * The kubernetes executor ({@code core.executor: kubernetes}): one pod per try, made from a pod
 * template, the {@code kubernetes.*} settings and the task's {@code executor_config.pod_override},
 * running {@code updraft tasks run} against the API server with a task token; pods watched through
 * an informer, failures to start recorded as failed tries, finished pods deleted, pods of a
 * restarted scheduler adopted by label. It reaches the cluster only through the fabric8 client.
 */
package io.updraft.kubernetes;
