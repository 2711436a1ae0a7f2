package io.updraft.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.Executor;
import io.updraft.executor.TryRecorder;
import io.updraft.executor.TryRunner;
import io.updraft.metrics.ExecutorMetrics;
import io.updraft.metrics.Metrics;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.Wakeup;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.TaskInstanceAdoption;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.TryLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code core.executor: kubernetes}: one pod per try (Airflow's KubernetesExecutor). A queued task
 * instance gets a pod made by {@link TryPods}, which runs {@code updraft tasks run} against the API
 * server with a token for that try: the pod starts the try, heartbeats and records its end through
 * the execution API, as a remote worker does. This class looks after the pods:
 *
 * <ul>
 *   <li>it watches them with one informer (a watch of every Updraft pod in the namespace, not a
 *       request per pod), and answers each change on a single thread, so the state it keeps needs
 *       no locks;
 *   <li>a pod that cannot start (image pull, bad config) or is still pending after {@code
 *       kubernetes.pod_start_timeout}, or that ended or vanished while its try had not reported its
 *       end, fails the try through {@link TryRecorder} — the writes the local executor makes — with
 *       the pod's status and events in the try's log;
 *   <li>a pod that succeeded is deleted at once; one that failed is kept {@code
 *       kubernetes.failed_pod_retention} for {@code kubectl describe} and {@code kubectl logs}
 *       (decisions/0158); the pod of an instance that left its try (cleared, marked, reset) is
 *       deleted, which stops it;
 *   <li>pods it does not track — those of a scheduler that ended, and its own after a restart — are
 *       adopted when their try is still queued or running, and deleted otherwise (decisions/0159).
 * </ul>
 *
 * <p>Executor slots are {@code parallelism} minus the pods it tracks.
 */
public final class KubernetesExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(KubernetesExecutor.class);

  /** One try's pod, as this executor tracks it. */
  private record Flight(TryPods.TryRef ref, String podName, Instant since) {}

  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final TryPods pods;
  private final TaskTokenIssuer tokens;
  private final long jobId;
  private final Duration healthThreshold;
  private final Path logsRoot;
  private final Clock clock;
  private final Wakeup wakeup;
  private final int parallelism;
  private final DagVersions versions;
  private final DagRunRepository runs;
  private final TaskInstanceRepository taskInstances;
  private final TaskInstanceAdoption adoption;
  private final JobRepository jobs;
  private final TryRecorder recorder;

  /** The tries whose pods this executor tracks, by task instance id. */
  private final Map<Long, Flight> flights = new ConcurrentHashMap<>();

  private final ScheduledExecutorService thread;
  private final Metrics.Tracking metrics;
  private SharedIndexInformer<Pod> informer;

  /**
   * @param jobId the scheduler job this executor belongs to: its pods carry it as a label
   * @param healthThreshold {@code scheduler_health_check_threshold}: a scheduler job whose
   *     heartbeat is older is dead, and its pods are adopted
   * @param logsRoot the logs folder: the try's log of a pod that failed gets its status and events
   */
  public KubernetesExecutor(
      Database db,
      DagVersions versions,
      KubernetesClient client,
      KubernetesSettings settings,
      TaskTokenIssuer tokens,
      int parallelism,
      long jobId,
      Duration healthThreshold,
      Path logsRoot,
      Clock clock,
      Wakeup wakeup) {
    this.client = client;
    this.settings = settings;
    this.pods = new TryPods(settings);
    this.tokens = tokens;
    this.parallelism = parallelism;
    this.jobId = jobId;
    this.healthThreshold = healthThreshold;
    this.logsRoot = logsRoot;
    this.clock = clock;
    this.wakeup = wakeup;
    this.versions = versions;
    this.runs = new DagRunRepository(db);
    this.taskInstances = new TaskInstanceRepository(db);
    this.adoption = new TaskInstanceAdoption(db);
    this.jobs = new JobRepository(db);
    this.recorder = new TryRecorder(db);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kubernetes-executor").factory());
    this.metrics = ExecutorMetrics.track(this::openSlots, flights::size);
  }

  /**
   * Starts watching the namespace's Updraft pods and adopts those it finds (a restarted
   * scheduler's, a dead one's); then checks its pods every {@code sweepEvery} (pending too long,
   * instance moved on, failed pods past their retention). Returns once the first adoption is done.
   */
  public KubernetesExecutor start(Duration sweepEvery) {
    informer =
        client
            .pods()
            .inNamespace(settings.namespace())
            .withLabel(PodLabels.MANAGED_BY, PodLabels.MANAGED_BY_VALUE)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    submit(() -> changed(pod, false));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    submit(() -> changed(pod, false));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean finalStateUnknown) {
                    submit(() -> changed(pod, true));
                  }
                },
                0);
    try {
      thread.submit(this::sweep).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("adopting the pods found at start failed: {}", e.toString());
    }
    long every = Math.max(50, sweepEvery.toMillis());
    thread.scheduleWithFixedDelay(
        () -> guarded("checking pods", this::sweep), every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** How often pods are checked: a quarter of the start timeout, at most every 5 s. */
  public static Duration sweepEvery(KubernetesSettings settings) {
    Duration quarter = settings.podStartTimeout().dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(5)) < 0 ? quarter : Duration.ofSeconds(5);
  }

  @Override
  public int openSlots() {
    return Math.max(0, parallelism - flights.size());
  }

  /** Pods this executor tracks now. */
  public int podsInFlight() {
    return flights.size();
  }

  @Override
  public void queue(List<TaskInstanceRow> tis) {
    for (TaskInstanceRow ti : tis) {
      TryPods.TryRef ref =
          new TryPods.TryRef(
              ti.id(), ti.dagId(), ti.runId(), ti.taskId(), ti.mapIndex(), ti.tryNumber() + 1, "");
      // Counted at once, so the slots the scheduler sees include pods still being created.
      flights.put(
          ti.id(),
          new Flight(
              ref,
              PodLabels.podName(ti.dagId(), ti.taskId(), ti.id(), ref.tryNumber()),
              clock.instant()));
      submit(() -> create(ti));
    }
  }

  private void submit(Runnable r) {
    try {
      thread.execute(() -> guarded("handling a pod", r));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("closed: {}", e.toString());
    }
  }

  private static void guarded(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("{} failed", what, e);
    }
  }

  /** Creates the pod of a queued instance's next try. */
  private void create(TaskInstanceRow ti) {
    Flight f = flights.get(ti.id());
    if (f == null) {
      return;
    }
    DagRunRow run = runs.get(ti.dagId(), ti.runId()).orElse(null);
    if (run == null) {
      flights.remove(ti.id());
      return;
    }
    Dag dag = versions.get(run.dagId(), run.dagHash());
    Task task = dag.task(ti.taskId()).orElse(null);
    if (task == null) {
      flights.remove(ti.id());
      return;
    }
    TryPods.TryRef ref =
        new TryPods.TryRef(
            ti.id(),
            ti.dagId(),
            ti.runId(),
            ti.taskId(),
            ti.mapIndex(),
            ti.tryNumber() + 1,
            run.dagHash());
    flights.put(ti.id(), new Flight(ref, f.podName(), f.since()));
    Pod pod;
    try {
      pod = pods.pod(ref, task.podOverride(), tokens.issue(ti.id(), ref.tryNumber()), jobId);
    } catch (RuntimeException e) {
      failTry(ref, f.podName(), "the pod could not be made: " + e.getMessage(), List.of());
      flights.remove(ti.id());
      return;
    }
    try {
      client.pods().inNamespace(settings.namespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // The pod of this very try exists: made by a scheduler that ended before the try started.
        // One pod per try, so it is taken over rather than duplicated.
        relabel(f.podName());
        return;
      }
      failTry(
          ref,
          f.podName(),
          "the pod could not be created: "
              + e.getCode()
              + " "
              + KubernetesSettings.firstLine(e.getMessage())
              + " — check the scheduler's role allows creating pods in namespace "
              + settings.namespace(),
          List.of());
      flights.remove(ti.id());
    }
  }

  /** A pod changed (or was deleted): acts on it when it is one of this executor's. */
  private void changed(Pod pod, boolean deleted) {
    Flight f = flightOf(pod);
    if (f == null) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (deleted) {
      endedWithoutReport(f, pod, "the pod was deleted before its try ended");
      flights.remove(f.ref().taskInstanceId());
      return;
    }
    if ("Succeeded".equals(phase)) {
      endedWithoutReport(f, pod, "the pod succeeded but its try did not report its end");
      flights.remove(f.ref().taskInstanceId());
      delete(f.podName());
    } else if ("Failed".equals(phase)) {
      endedWithoutReport(f, pod, "the pod failed before its try reported its end");
      flights.remove(f.ref().taskInstanceId());
      keepFailed(f.podName());
    } else {
      String failure = PodReport.startFailure(pod);
      if (failure != null) {
        failTry(f.ref(), f.podName(), failure, PodReport.lines(pod, events(f.podName())));
        flights.remove(f.ref().taskInstanceId());
        delete(f.podName());
      }
    }
  }

  /** The flight a pod belongs to, or null when it is not (or no longer) this executor's. */
  private Flight flightOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null) {
      return null;
    }
    try {
      Flight f = flights.get(Long.parseLong(labels.get(PodLabels.TASK_INSTANCE)));
      return f != null && f.podName().equals(pod.getMetadata().getName()) ? f : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The pod ended: its try should have recorded its end through the API server first. If the
   * instance is still on this try, the pod died without a word (OOM-killed, evicted, deleted): the
   * try fails.
   */
  private void endedWithoutReport(Flight f, Pod pod, String why) {
    TaskInstanceRow ti = taskInstances.get(f.ref().taskInstanceId()).orElse(null);
    if (ti != null && onTry(ti, f.ref().tryNumber())) {
      failTry(f.ref(), f.podName(), why, PodReport.lines(pod, events(f.podName())));
    }
  }

  /** Whether the instance is queued for, or running, try {@code tryNumber}. */
  private static boolean onTry(TaskInstanceRow ti, int tryNumber) {
    return (ti.state() == TaskInstanceState.QUEUED && ti.tryNumber() + 1 == tryNumber)
        || ((ti.state() == TaskInstanceState.RUNNING || ti.state() == TaskInstanceState.RESTARTING)
            && ti.tryNumber() == tryNumber);
  }

  /**
   * Fails try {@code ref} as the local executor fails one: started first if its pod never started
   * it (so it counts), then recorded as failed — up_for_retry or failed by the task's retries —
   * with {@code podLines} and the reason written to the try's log first.
   */
  private void failTry(TryPods.TryRef ref, String podName, String reason, List<String> podLines) {
    TaskInstanceRow ti = taskInstances.get(ref.taskInstanceId()).orElse(null);
    if (ti == null || !onTry(ti, ref.tryNumber())) {
      return;
    }
    DagRunRow run = runs.get(ti.dagId(), ti.runId()).orElse(null);
    if (run == null) {
      return;
    }
    Dag dag = versions.get(run.dagId(), run.dagHash());
    Task task = dag.task(ti.taskId()).orElse(null);
    if (task == null) {
      return;
    }
    if (ti.state() == TaskInstanceState.QUEUED) {
      ti = recorder.start(ti, run, task, podName, 0, clock.instant()).orElse(null);
      if (ti == null) {
        return;
      }
    }
    writeLog(ti, podName, reason, podLines);
    recorder.record(dag, task, run, ti, TryRunner.Result.failed(reason), false, clock.instant());
    wakeup.signal();
  }

  private void writeLog(TaskInstanceRow ti, String podName, String reason, List<String> lines) {
    try (TryLog out =
        TryLog.open(
            TryLog.path(logsRoot, ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber()), clock)) {
      out.note("try " + ti.tryNumber() + " failed in pod " + podName + ": " + reason);
      lines.forEach(out::note);
    } catch (Exception e) {
      log.warn(
          "cannot write the log of try {} of {}.{} in {}: {}",
          ti.tryNumber(),
          ti.dagId(),
          ti.taskId(),
          ti.runId(),
          e.toString());
    }
  }

  /**
   * The pod's events. Asked by field selector first; a server that does not index events by {@code
   * involvedObject.name} (the fabric8 mock, some proxies) answers with nothing, and then the
   * namespace's events are read and filtered here — only on a failure, so rarely.
   */
  private List<Event> events(String podName) {
    try {
      var events = client.v1().events().inNamespace(settings.namespace());
      List<Event> found =
          ofPod(events.withField("involvedObject.name", podName).list().getItems(), podName);
      return found.isEmpty() ? ofPod(events.list().getItems(), podName) : found;
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot read the events of pod {}: {}",
          podName,
          KubernetesSettings.firstLine(e.getMessage()));
      return List.of();
    }
  }

  private static List<Event> ofPod(List<Event> events, String podName) {
    return events.stream()
        .filter(
            e -> e.getInvolvedObject() != null && podName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * The periodic check, on the executor's thread: pods pending too long, instances that left their
   * try, pods nobody tracks (adopted or deleted), failed pods past their retention.
   */
  private void sweep() {
    Instant now = clock.instant();
    List<Pod> cached = informer == null ? List.of() : informer.getStore().list();
    Map<String, Pod> byName = new HashMap<>();
    cached.forEach(p -> byName.put(p.getMetadata().getName(), p));
    checkFlights(byName, now);
    Map<Long, Boolean> alive = new HashMap<>();
    for (Pod pod : cached) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String deleteAfter = annotations == null ? null : annotations.get(PodLabels.DELETE_AFTER);
      if (deleteAfter != null) {
        if (passed(deleteAfter, now)) {
          delete(pod.getMetadata().getName());
        }
      } else if (flightOf(pod) == null) {
        stray(pod, alive, now);
      }
    }
  }

  private void checkFlights(Map<String, Pod> byName, Instant now) {
    List<Flight> all = new ArrayList<>(flights.values());
    Map<Long, TaskInstanceRow> rows = new HashMap<>();
    adoption
        .getAll(all.stream().map(f -> f.ref().taskInstanceId()).toList())
        .forEach(r -> rows.put(r.id(), r));
    for (Flight f : all) {
      TaskInstanceRow ti = rows.get(f.ref().taskInstanceId());
      if (ti == null || !onTry(ti, f.ref().tryNumber())) {
        cancel(f, ti);
        continue;
      }
      if (ti.state() == TaskInstanceState.RESTARTING) {
        cancel(f, ti);
        continue;
      }
      Pod pod = byName.get(f.podName());
      boolean pending =
          pod == null
              || pod.getStatus() == null
              || pod.getStatus().getPhase() == null
              || "Pending".equals(pod.getStatus().getPhase());
      if (pending
          && ti.state() == TaskInstanceState.QUEUED
          && Duration.between(f.since(), now).compareTo(settings.podStartTimeout()) > 0) {
        String why = pod == null ? "the pod did not appear" : PodReport.pendingReason(pod);
        failTry(
            f.ref(),
            f.podName(),
            "the pod did not start within kubernetes.pod_start_timeout ("
                + settings.podStartTimeout()
                + "): "
                + why,
            pod == null ? List.of() : PodReport.lines(pod, events(f.podName())));
        flights.remove(f.ref().taskInstanceId());
        delete(f.podName());
      }
    }
  }

  /**
   * The instance left this try (cleared, marked, reset, deleted): its pod is deleted, which stops
   * it. A cleared running instance (restarting) is then retried, as when the local executor stops a
   * cleared try.
   */
  private void cancel(Flight f, TaskInstanceRow ti) {
    flights.remove(f.ref().taskInstanceId());
    delete(f.podName());
    if (ti != null
        && ti.state() == TaskInstanceState.RESTARTING
        && ti.tryNumber() == f.ref().tryNumber()) {
      runs.get(ti.dagId(), ti.runId())
          .ifPresent(
              run ->
                  versions
                      .get(run.dagId(), run.dagHash())
                      .task(ti.taskId())
                      .ifPresent(
                          task ->
                              recorder.record(
                                  versions.get(run.dagId(), run.dagHash()),
                                  task,
                                  run,
                                  ti,
                                  TryRunner.Result.failed("the task instance was cleared"),
                                  false,
                                  clock.instant())));
      wakeup.signal();
    }
  }

  /**
   * A pod this executor does not track. Another live scheduler's is left alone; one of a scheduler
   * that ended (or of this one before a restart) is adopted when its try is still queued or running
   * — relabelled with this job, and a queued instance made this job's so the orphan reset leaves it
   * — and deleted otherwise.
   */
  private void stray(Pod pod, Map<Long, Boolean> alive, Instant now) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    long owner;
    long tiId;
    int tryNumber;
    try {
      owner = Long.parseLong(labels.get(PodLabels.SCHEDULER_JOB));
      tiId = Long.parseLong(labels.get(PodLabels.TASK_INSTANCE));
      tryNumber = Integer.parseInt(labels.get(PodLabels.TRY_NUMBER));
    } catch (RuntimeException e) {
      return; // not made by this version of Updraft: not ours to judge
    }
    if (owner != jobId && alive.computeIfAbsent(owner, id -> isAlive(id, now))) {
      return;
    }
    if (flights.containsKey(tiId)) {
      delete(pod.getMetadata().getName()); // an older try of an instance this executor runs
      return;
    }
    TaskInstanceRow ti = taskInstances.get(tiId).orElse(null);
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean ended = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (ti == null || !onTry(ti, tryNumber) || ended) {
      if (ti != null && onTry(ti, tryNumber)) {
        // It ended while nobody watched, and its try never reported.
        Flight f = flight(pod, ti, tryNumber, now);
        failTry(
            f.ref(),
            f.podName(),
            "the pod ended ("
                + phase
                + ") while no scheduler watched it, and its try did not report its end",
            PodReport.lines(pod, events(f.podName())));
      }
      if ("Failed".equals(phase)) {
        keepFailed(pod.getMetadata().getName());
      } else {
        delete(pod.getMetadata().getName());
      }
      return;
    }
    if (ti.state() == TaskInstanceState.QUEUED
        && !adoption.adoptQueued(ti.id(), ti.tryNumber(), jobId, now)) {
      return; // moved on meanwhile: the next sweep judges again
    }
    flights.put(tiId, flight(pod, ti, tryNumber, now));
    relabel(pod.getMetadata().getName());
    log.info(
        "adopted pod {} (try {} of {}.{} in {}, from scheduler job {})",
        pod.getMetadata().getName(),
        tryNumber,
        ti.dagId(),
        ti.taskId(),
        ti.runId(),
        owner);
  }

  private Flight flight(Pod pod, TaskInstanceRow ti, int tryNumber, Instant now) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String hash = annotations == null ? "" : annotations.getOrDefault(PodLabels.DAG_HASH, "");
    Instant since = now;
    try {
      since = Instant.parse(pod.getMetadata().getCreationTimestamp());
    } catch (RuntimeException e) {
      // not set by a mock or an old server: the pending timeout counts from now
    }
    return new Flight(
        new TryPods.TryRef(
            ti.id(), ti.dagId(), ti.runId(), ti.taskId(), ti.mapIndex(), tryNumber, hash),
        pod.getMetadata().getName(),
        since);
  }

  private boolean isAlive(long job, Instant now) {
    return jobs.get(job)
        .map(
            (JobRow j) ->
                JobRepository.RUNNING.equals(j.state())
                    && j.latestHeartbeat() != null
                    && j.latestHeartbeat().isAfter(now.minus(healthThreshold)))
        .orElse(false);
  }

  /** Makes this scheduler's job the pod's (an adopted pod). */
  private void relabel(String podName) {
    edit(
        podName,
        "relabel",
        p -> p.getMetadata().getLabels().put(PodLabels.SCHEDULER_JOB, Long.toString(jobId)));
  }

  /** Marks a failed pod to be deleted once its retention has passed (by whichever scheduler). */
  private void keepFailed(String podName) {
    String at = clock.instant().plus(settings.failedPodRetention()).toString();
    edit(
        podName,
        "mark failed",
        p -> {
          if (p.getMetadata().getAnnotations() == null) {
            p.getMetadata().setAnnotations(new HashMap<>());
          }
          p.getMetadata().getAnnotations().put(PodLabels.DELETE_AFTER, at);
        });
  }

  /** Changes a pod's metadata; a pod already gone is no error. */
  private void edit(String podName, String what, java.util.function.Consumer<Pod> change) {
    try {
      client
          .pods()
          .inNamespace(settings.namespace())
          .withName(podName)
          .edit(
              p -> {
                change.accept(p);
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        log.warn(
            "cannot {} pod {}: {}", what, podName, KubernetesSettings.firstLine(e.getMessage()));
      }
    }
  }

  private void delete(String podName) {
    try {
      client.pods().inNamespace(settings.namespace()).withName(podName).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        log.warn("cannot delete pod {}: {}", podName, KubernetesSettings.firstLine(e.getMessage()));
      }
    }
  }

  private static boolean passed(String instant, Instant now) {
    try {
      return !Instant.parse(instant).isAfter(now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  /**
   * Stops watching. The pods keep running: their tries record their own ends through the API
   * server, and the scheduler that next starts adopts them.
   */
  @Override
  public void close() {
    metrics.close();
    if (informer != null) {
      informer.close();
    }
    thread.shutdown();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
