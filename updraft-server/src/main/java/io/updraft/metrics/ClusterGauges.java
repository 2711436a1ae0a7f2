package io.updraft.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import io.updraft.store.Pool;
import io.updraft.store.PoolOccupancy;
import io.updraft.store.PoolRepository;
import io.updraft.store.TaskInstanceQueueing;
import io.updraft.store.TriggerRepository;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges an API server reads from the metadata database at each scrape, for the whole cluster
 * whichever processes do the work (decisions/0110): each pool's open, queued, running and deferred
 * slots, the task instances running and queued ({@code updraft_executor_running_tasks}, {@code
 * updraft_executor_queued_tasks}: the sum of every executor's, as Airflow's per-executor gauges add
 * up to), and the triggers triggerers hold. Three small queries; if the database does not answer,
 * the scrape goes on without them and {@code updraft_metadatabase_up} says 0.
 */
final class ClusterGauges implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(ClusterGauges.class);

  private final PoolRepository pools;
  private final TaskInstanceQueueing taskInstances;
  private final TriggerRepository triggers;

  ClusterGauges(Database db) {
    this.pools = new PoolRepository(db);
    this.taskInstances = new TaskInstanceQueueing(db);
    this.triggers = new TriggerRepository(db);
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    try {
      Map<String, PoolOccupancy> occupancy = taskInstances.poolOccupancy();
      GaugeSnapshot.Builder open = gauge("updraft_pool_open_slots", "Open slots of a pool");
      GaugeSnapshot.Builder queued =
          gauge("updraft_pool_queued_slots", "Slots of a pool taken by queued task instances");
      GaugeSnapshot.Builder running =
          gauge("updraft_pool_running_slots", "Slots of a pool taken by running task instances");
      GaugeSnapshot.Builder deferred =
          gauge("updraft_pool_deferred_slots", "Slots deferred task instances hold in a pool");
      for (Pool p : pools.list()) {
        PoolOccupancy o = occupancy.getOrDefault(p.name(), new PoolOccupancy(p.name(), 0, 0, 0));
        double free =
            p.unlimited()
                ? Double.POSITIVE_INFINITY
                : Math.max(0, p.slots() - o.occupied(p.includeDeferred()));
        open.dataPoint(point(free, "pool", p.name()));
        queued.dataPoint(point(o.queuedSlots(), "pool", p.name()));
        running.dataPoint(point(o.runningSlots(), "pool", p.name()));
        deferred.dataPoint(point(o.deferredSlots(), "pool", p.name()));
      }
      Map<TaskInstanceState, Integer> states = taskInstances.countActiveByState();
      out.metricSnapshot(open.build())
          .metricSnapshot(queued.build())
          .metricSnapshot(running.build())
          .metricSnapshot(deferred.build())
          .metricSnapshot(
              single(
                  "updraft_executor_running_tasks",
                  "Task instances running, in the whole cluster",
                  states.get(TaskInstanceState.RUNNING)))
          .metricSnapshot(
              single(
                  "updraft_executor_queued_tasks",
                  "Task instances queued for an executor, in the whole cluster",
                  states.get(TaskInstanceState.QUEUED)))
          .metricSnapshot(
              single(
                  "updraft_triggerer_triggers_running",
                  "Triggers (deferred waits) held by a triggerer, in the whole cluster",
                  triggers.countHeld()));
      out.metricSnapshot(single("updraft_metadatabase_up", "Whether the database answered", 1));
    } catch (RuntimeException e) {
      log.debug("metrics: the database did not answer: {}", e.toString());
      out = MetricSnapshots.builder();
      out.metricSnapshot(single("updraft_metadatabase_up", "Whether the database answered", 0));
    }
    return out.build();
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeDataPointSnapshot point(double value, String label, String labelValue) {
    return GaugeDataPointSnapshot.builder()
        .value(value)
        .labels(Labels.of(label, labelValue))
        .build();
  }

  private static GaugeSnapshot single(String name, String help, double value) {
    return gauge(name, help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
