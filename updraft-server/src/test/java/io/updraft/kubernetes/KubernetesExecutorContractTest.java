package io.updraft.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.updraft.dag.Dag;
import io.updraft.executor.TryRecorder;
import io.updraft.executor.TryRunner;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import io.updraft.worker.TryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes executor against the fabric8 mock API server in CRUD mode (this machine has no
 * cluster), with the real scheduler loop on a real metadata database. The test plays the kubelet
 * (it sets pod phases and container states in the mock) and the pod's {@code updraft tasks run} (it
 * starts and ends the try with {@link TryRecorder}, the writes the execution API makes).
 */
abstract class KubernetesExecutorContractTest {
  abstract TestBackend backend();

  private static final String NS = "updraft";

  @TempDir Path tmp;
  private ScratchDatabase scratch;
  private Database db;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private final Wakeup wakeup = new Wakeup();
  private final Clock clock = Clock.systemUTC();
  private DagVersions versions;
  private final List<AutoCloseable> stops = new ArrayList<>();
  private final Map<String, Integer> tokensIssued = new HashMap<>();

  @BeforeEach
  void open() throws Exception {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable s : stops.reversed()) {
      s.close();
    }
    client.close();
    server.destroy();
    db.close();
    scratch.close();
  }

  private KubernetesSettings settings(Duration startTimeout) throws Exception {
    Path template = tmp.resolve("pod-template.yaml");
    Files.writeString(
        template,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          labels: {team: platform}
        spec:
          containers:
            - name: base
              image: updraft:template
              env: [{name: TZ, value: UTC}]
            - name: sidecar
              image: busybox
        """);
    return KubernetesSettings.of(
        "http://updraft-api-server:8080",
        NS,
        template,
        "registry.example/updraft:1.0",
        "updraft-task",
        Map.of("kubernetes.request_cpu", "250m"),
        Map.of("kubernetes.limit_memory", "1Gi"),
        "disktype=ssd",
        startTimeout,
        Duration.ofHours(1));
  }

  private long registerJob() {
    return new JobRepository(db).register(JobType.SCHEDULER, "test", 1, clock.instant());
  }

  /** The executor and the scheduler loop on it, until the test ends; returns the executor. */
  private KubernetesExecutor startScheduler(long jobId, Duration startTimeout) throws Exception {
    KubernetesSettings settings = settings(startTimeout);
    KubernetesExecutor executor =
        new KubernetesExecutor(
            db,
            versions,
            client,
            settings,
            (id, n) -> {
              tokensIssued.put(id + "/" + n, n);
              return "token-" + id + "-" + n;
            },
            4,
            jobId,
            Duration.ofSeconds(30),
            tmp.resolve("logs"),
            clock,
            wakeup);
    executor.start(Duration.ofMillis(100));
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, jobId), Duration.ofMillis(100));
    Thread thread = Thread.ofPlatform().start(loop::run);
    stops.add(executor);
    stops.add(
        () -> {
          loop.stop();
          thread.join();
        });
    return executor;
  }

  private void stopAll() throws Exception {
    for (AutoCloseable s : stops.reversed()) {
      s.close();
    }
    stops.clear();
  }

  /** One task with a pod override; one without. Stored as its file would be, run r1 triggered. */
  private DagRunRow trigger(int retries) {
    Dag dag =
        Dags.dag("etl.daily")
            .task(
                Tasks.shell("load_orders", "true")
                    .retries(retries)
                    .podOverride(
                        Map.of(
                            "metadata",
                            Map.of("annotations", Map.of("team.io/owner", "data")),
                            "spec",
                            Map.of(
                                "containers",
                                List.of(
                                    Map.of(
                                        "name",
                                        "base",
                                        "resources",
                                        Map.of("limits", Map.of("memory", "4Gi")),
                                        "env",
                                        List.of(Map.of("name", "MODE", "value", "full")))),
                                "tolerations",
                                List.of(Map.of("key", "batch", "operator", "Exists"))))))
            .build();
    Instant now = clock.instant();
    String file = dag.dagId() + ".yaml";
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), file, now);
    new DagRepository(db).upsert(dag, file, false, now);
    versions = new DagVersions(new SerializedDagRepository(db));
    return ManualRuns.trigger(
        db, versions.latest(dag.dagId()), now, "manual__2024-01-01T00:00:00+00:00", null, now);
  }

  private TaskInstanceRow ti() {
    return new TaskInstanceRepository(db)
        .listForRun("etl.daily", "manual__2024-01-01T00:00:00+00:00")
        .getFirst();
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(NS).list().getItems();
  }

  private Pod pod() {
    return pods().getFirst();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** The kubelet's part: the pod's status as it reports it. */
  private void setStatus(String name, PodStatus status) {
    client
        .pods()
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  /** The pod's {@code updraft tasks run}: starts the try and records how it ended. */
  private void runTry(TaskInstanceState outcome) {
    TaskInstanceRow queued = ti();
    DagRunRow run = new DagRunRepository(db).get(queued.dagId(), queued.runId()).orElseThrow();
    Dag dag = versions.get(run.dagId(), run.dagHash());
    var task = dag.task(queued.taskId()).orElseThrow();
    TryRecorder recorder = new TryRecorder(db);
    assertThat(recorder.start(queued, run, task, "pod", 1, clock.instant())).isPresent();
    if (outcome != null) {
      recorder.record(
          dag,
          task,
          run,
          ti(),
          outcome == TaskInstanceState.SUCCESS
              ? TryRunner.Result.success(null)
              : TryRunner.Result.failed("boom"),
          false,
          clock.instant());
    }
  }

  private String log(int tryNumber) throws Exception {
    TaskInstanceRow ti = ti();
    return Files.readString(
        TryLog.path(tmp.resolve("logs"), ti.dagId(), ti.runId(), ti.taskId(), tryNumber));
  }

  @Test
  void aQueuedTryGetsOnePodFromTemplateSettingsAndOverride() throws Exception {
    DagRunRow run = trigger(0);
    long job = registerJob();
    KubernetesExecutor executor = startScheduler(job, Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    assertThat(executor.openSlots()).isEqualTo(3);
    Pod pod = pod();
    TaskInstanceRow ti = ti();
    assertThat(ti.state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(pod.getMetadata().getName()).isEqualTo("etl-daily-load-orders-" + ti.id() + "-1");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("team", "platform")
        .containsEntry(PodLabels.MANAGED_BY, "updraft")
        .containsEntry(PodLabels.DAG_ID, "etl.daily")
        .containsEntry(PodLabels.TASK_ID, "load_orders")
        .containsEntry(PodLabels.TRY_NUMBER, "1")
        .containsEntry(PodLabels.MAP_INDEX, "-1")
        .containsEntry(PodLabels.TASK_INSTANCE, Long.toString(ti.id()))
        .containsEntry(PodLabels.SCHEDULER_JOB, Long.toString(job));
    // The run id has ':' and '+': its label is cut and hashed, the annotation has it whole.
    assertThat(pod.getMetadata().getLabels().get(PodLabels.RUN_ID))
        .startsWith("manual__2024-01-01T00_00_00_00_00-")
        .matches(PodLabels::isValid);
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(PodLabels.RUN_ID, run.runId())
        .containsEntry(PodLabels.DAG_HASH, run.dagHash())
        .containsEntry("team.io/owner", "data");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("updraft-task");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("disktype", "ssd");
    assertThat(pod.getSpec().getTolerations()).hasSize(1);
    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("base", "sidecar");
    Container base = pod.getSpec().getContainers().getFirst();
    assertThat(base.getImage()).isEqualTo("registry.example/updraft:1.0");
    assertThat(base.getCommand())
        .containsExactly("updraft", "tasks", "run", "etl.daily", run.runId(), "load_orders");
    assertThat(base.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(base.getResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : base.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    assertThat(env)
        .containsEntry("TZ", "UTC")
        .containsEntry("MODE", "full")
        .containsEntry("UPDRAFT_API_URL", "http://updraft-api-server:8080")
        .containsEntry("UPDRAFT_TASK_TOKEN", "token-" + ti.id() + "-1")
        .containsEntry("UPDRAFT_DAG_HASH", run.dagHash());
    assertThat(tokensIssued).containsOnlyKeys(ti.id() + "/1");
  }

  @Test
  void aTryThatEndsHasItsPodDeletedAndFreesItsSlot() throws Exception {
    trigger(0);
    KubernetesExecutor executor = startScheduler(registerJob(), Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    setStatus(name, new PodStatusBuilder().withPhase("Running").build());
    runTry(TaskInstanceState.SUCCESS);
    try {
      setStatus(name, new PodStatusBuilder().withPhase("Succeeded").build());
    } catch (KubernetesClientException e) {
      // Already deleted: the executor saw the try end before the pod did.
      assertThat(e.getCode()).isEqualTo(404);
    }
    await("the pod's deletion", () -> pods().isEmpty());
    assertThat(ti().state()).isEqualTo(TaskInstanceState.SUCCESS);
    await("the slot", () -> executor.openSlots() == 4);
  }

  @Test
  void aPodThatSucceedsWithoutItsTryReportingFailsTheTryAndIsDeleted() throws Exception {
    trigger(0);
    startScheduler(registerJob(), Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    runTry(null);
    setStatus(name, new PodStatusBuilder().withPhase("Succeeded").build());
    await("the failed try", () -> ti().state() == TaskInstanceState.FAILED);
    assertThat(log(1)).contains("the pod succeeded but its try did not report its end");
    await("the pod's deletion", () -> pods().isEmpty());
  }

  @Test
  void anImagePullFailureFailsTheTryWithTheEventsInItsLog() throws Exception {
    trigger(0);
    startScheduler(registerJob(), Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    client
        .v1()
        .events()
        .inNamespace(NS)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(name + ".1")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(name)
                .withNamespace(NS)
                .endInvolvedObject()
                .withType("Warning")
                .withReason("Failed")
                .withMessage("Failed to pull image \"registry.example/updraft:1.0\": not found")
                .build())
        .create();
    setStatus(
        name,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("base")
                    .withNewState()
                    .withNewWaiting()
                    .withReason("ErrImagePull")
                    .withMessage("pull access denied")
                    .endWaiting()
                    .endState()
                    .build())
            .build());
    await("the failed try", () -> ti().state() == TaskInstanceState.FAILED);
    assertThat(ti().tryNumber()).isEqualTo(1);
    String log = log(1);
    assertThat(log)
        .contains(
            "[updraft] try 1 failed in pod " + name + ": container base cannot start: ErrImagePull")
        .contains("event Warning Failed: Failed to pull image")
        .doesNotContain("token-");
    await("the pod's deletion", () -> pods().isEmpty());
  }

  @Test
  void aPodPendingPastTheStartTimeoutFailsTheTryAndIsRetried() throws Exception {
    trigger(1);
    startScheduler(registerJob(), Duration.ofSeconds(3));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    setStatus(
        name,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withConditions(
                new PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("False")
                    .withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                    .build())
            .build());
    await(
        "the retry",
        () ->
            ti().tryNumber() == 1
                && ti().state() != TaskInstanceState.QUEUED
                && ti().state() != TaskInstanceState.RUNNING);
    assertThat(ti().state()).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
    assertThat(log(1))
        .contains("did not start within kubernetes.pod_start_timeout")
        .contains("not scheduled: Unschedulable (0/3 nodes are available: 3 Insufficient memory.)");
    await(
        "the pod's deletion",
        () -> pods().stream().noneMatch(p -> p.getMetadata().getName().equals(name)));
  }

  @Test
  void aPodThatFailsWhileItsTryRunsFailsTheTryAndIsKeptForInspection() throws Exception {
    trigger(0);
    startScheduler(registerJob(), Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    runTry(null); // started, then the container is OOM-killed before it can report
    setStatus(
        name,
        new PodStatusBuilder()
            .withPhase("Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("base")
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(137)
                    .withReason("OOMKilled")
                    .endTerminated()
                    .endState()
                    .build())
            .build());
    await("the failed try", () -> ti().state() == TaskInstanceState.FAILED);
    assertThat(log(1))
        .contains("the pod failed before its try reported its end")
        .contains("exit code 137, OOMKilled");
    await(
        "the retention mark",
        () -> pod().getMetadata().getAnnotations().containsKey(PodLabels.DELETE_AFTER));
    assertThat(pods()).hasSize(1);
  }

  @Test
  void clearingARunningInstanceDeletesItsPodAndRetriesIt() throws Exception {
    trigger(0);
    startScheduler(registerJob(), Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String first = pod().getMetadata().getName();
    setStatus(first, new PodStatusBuilder().withPhase("Running").build());
    runTry(null);
    ClearTasks.clear(db, versions, "etl.daily", "load_orders", false, null, null, clock.instant());
    // The cleared try's pod goes; the instance runs again at once, in a pod of try 2.
    await(
        "the next try's pod",
        () -> pods().stream().anyMatch(p -> p.getMetadata().getName().endsWith("-2")));
    await(
        "the cleared try's pod deleted",
        () -> pods().stream().noneMatch(p -> p.getMetadata().getName().equals(first)));
    assertThat(ti().state()).isEqualTo(TaskInstanceState.QUEUED);
  }

  @Test
  void aRestartedSchedulerAdoptsThePodsOfLiveTriesAndDeletesTheOthers() throws Exception {
    trigger(0);
    long before = registerJob();
    startScheduler(before, Duration.ofMinutes(5));
    await("the pod", () -> pods().size() == 1);
    String name = pod().getMetadata().getName();
    stopAll();
    new JobRepository(db).finish(before, true, clock.instant());
    // A pod of a try that is over: left by a scheduler that died before deleting it.
    Pod stale = client.pods().inNamespace(NS).withName(name).get();
    stale.getMetadata().setName("etl-daily-load-orders-999999-1");
    stale.getMetadata().setResourceVersion(null);
    stale.getMetadata().getLabels().put(PodLabels.TASK_INSTANCE, "999999");
    client.pods().inNamespace(NS).resource(stale).create();

    long after = registerJob();
    KubernetesExecutor executor = startScheduler(after, Duration.ofMinutes(5));
    await("the stale pod's deletion", () -> pods().size() == 1);
    assertThat(pod().getMetadata().getName()).isEqualTo(name);
    assertThat(pod().getMetadata().getLabels())
        .containsEntry(PodLabels.SCHEDULER_JOB, Long.toString(after));
    assertThat(ti().state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(ti().queuedByJobId()).isEqualTo(after);
    assertThat(executor.podsInFlight()).isEqualTo(1);
    // The adopted pod is watched as if this scheduler had made it.
    setStatus(name, new PodStatusBuilder().withPhase("Running").build());
    runTry(TaskInstanceState.SUCCESS);
    await("the pod's deletion", () -> pods().isEmpty());
  }
}
