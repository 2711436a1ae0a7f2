/**
 * Metrics (SPEC §3, docs/metrics.md): the process's meter registry ({@link
 * io.updraft.metrics.Metrics}) and the named meters each component records where its work happens
 * ({@link io.updraft.metrics.SchedulerMetrics}, {@link io.updraft.metrics.TaskMetrics}, {@link
 * io.updraft.metrics.ExecutorMetrics}, {@link io.updraft.metrics.TriggererMetrics}, {@link
 * io.updraft.metrics.DagProcessingMetrics}). An API server serves them as Prometheus text with the
 * gauges it reads from the database for the whole cluster ({@link
 * io.updraft.metrics.ClusterGauges}, {@link io.updraft.metrics.MetricsScrape}); any process may
 * also push its own meters to StatsD under Airflow's names ({@link
 * io.updraft.metrics.StatsdExport}, decisions/0110).
 */
package io.updraft.metrics;
