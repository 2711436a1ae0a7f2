package io.updraft.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the pod of one try: the template, then the {@code kubernetes.*} settings (namespace, image,
 * service account, resources, node selector), then the task's {@code pod_override}, then what the
 * executor owns and no override may change — name, labels, the command and the environment that
 * name the try, its DAG version and the API server.
 *
 * <p>Seed 004's point: the command runs one try of one task against the API server and is told the
 * DAG version of the try's run ({@code UPDRAFT_DAG_HASH}, also an annotation). The pod reads no
 * dags folder: the serialized DAG of that version comes from the API server.
 */
public final class TryPods {
  public static final String ENV_API_URL = "UPDRAFT_API_URL";
  public static final String ENV_TASK_TOKEN = "UPDRAFT_TASK_TOKEN";
  public static final String ENV_DAG_HASH = "UPDRAFT_DAG_HASH";

  /** What names one try, and the DAG version it runs. */
  public record TryRef(
      long taskInstanceId,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      String dagHash) {}

  private final KubernetesSettings settings;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public TryPods(KubernetesSettings settings) {
    this.settings = settings;
  }

  /** The command the base container runs: one try, against the API server. */
  public static List<String> command(TryRef t) {
    List<String> c =
        new ArrayList<>(List.of("updraft", "tasks", "run", t.dagId(), t.runId(), t.taskId()));
    if (t.mapIndex() >= 0) {
      c.add("--map-index");
      c.add(Integer.toString(t.mapIndex()));
    }
    return c;
  }

  /** The labels that find the pod of a try: its ids made label-safe, and the scheduler's job. */
  public static Map<String, String> labels(TryRef t, long schedulerJobId) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(PodLabels.MANAGED_BY, PodLabels.MANAGED_BY_VALUE);
    l.put(PodLabels.DAG_ID, PodLabels.value(t.dagId()));
    l.put(PodLabels.RUN_ID, PodLabels.value(t.runId()));
    l.put(PodLabels.TASK_ID, PodLabels.value(t.taskId()));
    l.put(PodLabels.MAP_INDEX, Integer.toString(t.mapIndex()));
    l.put(PodLabels.TRY_NUMBER, Integer.toString(t.tryNumber()));
    l.put(PodLabels.TASK_INSTANCE, Long.toString(t.taskInstanceId()));
    l.put(PodLabels.SCHEDULER_JOB, Long.toString(schedulerJobId));
    return l;
  }

  /**
   * The pod of try {@code t}.
   *
   * @param podOverride the task's {@code executor_config.pod_override}, checked when its DAG was
   *     parsed; empty: none
   * @param token the try's task token, given to the pod as {@code UPDRAFT_TASK_TOKEN}
   */
  @SuppressWarnings("unchecked")
  public Pod pod(TryRef t, Map<String, Object> podOverride, String token, long schedulerJobId) {
    Pod pod = json.clone(settings.template());
    applySettings(pod);
    if (!podOverride.isEmpty()) {
      Map<String, Object> merged =
          PodOverrides.merge(json.convertValue(pod, Map.class), podOverride);
      pod = json.convertValue(merged, Pod.class);
    }
    ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    pod.setMetadata(meta);
    meta.setName(PodLabels.podName(t.dagId(), t.taskId(), t.taskInstanceId(), t.tryNumber()));
    meta.setGenerateName(null);
    meta.setNamespace(settings.namespace());
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(meta.getLabels()));
    labels.putAll(labels(t, schedulerJobId));
    meta.setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>(orEmpty(meta.getAnnotations()));
    annotations.put(PodLabels.DAG_ID, t.dagId());
    annotations.put(PodLabels.RUN_ID, t.runId());
    annotations.put(PodLabels.TASK_ID, t.taskId());
    annotations.put(PodLabels.DAG_HASH, t.dagHash());
    meta.setAnnotations(annotations);
    pod.getSpec().setRestartPolicy("Never");
    Container base = KubernetesSettings.base(pod, "after the pod_override of " + t.taskId());
    base.setCommand(command(t));
    base.setArgs(List.of());
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar e : base.getEnv() == null ? List.<EnvVar>of() : base.getEnv()) {
      if (!List.of(ENV_API_URL, ENV_TASK_TOKEN, ENV_DAG_HASH).contains(e.getName())) {
        env.add(e);
      }
    }
    env.add(new EnvVar(ENV_API_URL, settings.apiUrl(), null));
    env.add(new EnvVar(ENV_TASK_TOKEN, token, null));
    env.add(new EnvVar(ENV_DAG_HASH, t.dagHash(), null));
    base.setEnv(env);
    return pod;
  }

  /** The settings over the template: they apply to every task unless its override says else. */
  private void applySettings(Pod pod) {
    Container base = KubernetesSettings.base(pod, "");
    if (settings.image() != null) {
      base.setImage(settings.image());
    }
    if (settings.serviceAccount() != null) {
      pod.getSpec().setServiceAccountName(settings.serviceAccount());
    }
    if (!settings.requests().isEmpty() || !settings.limits().isEmpty()) {
      ResourceRequirements r =
          base.getResources() == null ? new ResourceRequirements() : base.getResources();
      Map<String, io.fabric8.kubernetes.api.model.Quantity> requests =
          new LinkedHashMap<>(orEmpty(r.getRequests()));
      requests.putAll(settings.requests());
      Map<String, io.fabric8.kubernetes.api.model.Quantity> limits =
          new LinkedHashMap<>(orEmpty(r.getLimits()));
      limits.putAll(settings.limits());
      r.setRequests(requests);
      r.setLimits(limits);
      base.setResources(r);
    }
    if (!settings.nodeSelector().isEmpty()) {
      Map<String, String> selector = new LinkedHashMap<>(orEmpty(pod.getSpec().getNodeSelector()));
      selector.putAll(settings.nodeSelector());
      pod.getSpec().setNodeSelector(selector);
    }
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }
}
