package io.updraft.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.updraft.dag.Dag;
import io.updraft.dag.Problem;
import io.updraft.dag.Suggestions;
import io.updraft.dag.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task's {@code executor_config.pod_override} (Airflow's): a Kubernetes pod, written as YAML in
 * the DAG file, merged over the pod the executor makes from its template. The DAG processor checks
 * it against the pod model here, so a misspelt field or a value of the wrong type is an import
 * error at its line, not a pod that fails at run time.
 *
 * <p>The merge ({@link #merge}) follows Airflow's {@code reconcile_pods}: maps merge key by key,
 * the override winning; lists of named things ({@code containers}, {@code initContainers}, {@code
 * volumes}, {@code volumeMounts}, {@code env}, {@code ports}) merge item by name, an item of a new
 * name being added; any other list of the override is appended to the template's (decisions/0157).
 */
public final class PodOverrides {
  private static final Set<String> TOP_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> BY_NAME =
      Set.of("containers", "initContainers", "volumes", "volumeMounts", "env", "ports");

  /**
   * The fabric8 model classes take any unknown field into a map of "additional properties"; for a
   * check, an unknown field must be an error instead.
   */
  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                  return null;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private PodOverrides() {}

  /**
   * What is wrong with the pod overrides of {@code dag}'s tasks, each at its path in the DAG
   * document ({@code tasks[2].executor_config.pod_override.spec.containers[0].resorces}).
   */
  public static List<Problem> problems(Dag dag) {
    List<Problem> out = new ArrayList<>();
    for (int i = 0; i < dag.tasks().size(); i++) {
      Task t = dag.tasks().get(i);
      if (t.executorConfig().get(Task.POD_OVERRIDE) instanceof Map<?, ?> pod) {
        String at = "tasks[" + i + "].executor_config.pod_override";
        problem(pod)
            .ifPresent(
                p ->
                    out.add(
                        new Problem(
                            at + p.path(),
                            "task '"
                                + t.taskId()
                                + "' executor_config.pod_override"
                                + p.path()
                                + ": "
                                + p.message())));
      }
    }
    return out;
  }

  /**
   * The first thing wrong with one pod override, its path relative to the override ({@code
   * .spec.containers[0]}, or empty for the whole of it).
   */
  public static java.util.Optional<Problem> problem(Map<?, ?> pod) {
    for (Object key : pod.keySet()) {
      if (!TOP_KEYS.contains(String.valueOf(key))) {
        return java.util.Optional.of(
            new Problem(
                "." + key,
                "a pod override has metadata and spec, not '"
                    + key
                    + "'"
                    + Suggestions.didYouMean(String.valueOf(key), TOP_KEYS, " — ")));
      }
    }
    try {
      STRICT.convertValue(pod, Pod.class);
      return java.util.Optional.empty();
    } catch (JacksonException e) {
      return java.util.Optional.of(new Problem(path(e), message(e)));
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JacksonException j) {
        return java.util.Optional.of(new Problem(path(j), message(j)));
      }
      return java.util.Optional.of(new Problem("", String.valueOf(e.getMessage())));
    }
  }

  private static String path(JacksonException e) {
    StringBuilder b = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        b.append('.').append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String message(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      if (u.getKnownPropertyIds() != null) {
        u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      return "'"
          + u.getPropertyName()
          + "' is not a field of the Kubernetes pod model here"
          + Suggestions.didYouMean(u.getPropertyName(), known, " — ")
          + " (kubectl explain pod.spec lists the fields)";
    }
    String m = e.getOriginalMessage();
    int cut = m == null ? -1 : m.indexOf('\n');
    return "not a valid value for a Kubernetes pod: "
        + (cut < 0 ? m : m.substring(0, cut))
        + " — see kubectl explain pod.spec";
  }

  /** {@code override} merged over {@code base} (both as JSON-like maps); neither is changed. */
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    for (Map.Entry<String, Object> e : override.entrySet()) {
      out.put(e.getKey(), mergeValue(e.getKey(), base.get(e.getKey()), e.getValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object mergeValue(String key, Object base, Object override) {
    if (base instanceof Map<?, ?> b && override instanceof Map<?, ?> o) {
      return merge((Map<String, Object>) b, (Map<String, Object>) o);
    }
    if (base instanceof List<?> b && override instanceof List<?> o) {
      List<Object> out = new ArrayList<>(b);
      for (Object item : o) {
        int at = BY_NAME.contains(key) ? indexByName(out, item) : -1;
        if (at >= 0) {
          out.set(at, mergeValue("", out.get(at), item));
        } else {
          out.add(item);
        }
      }
      return out;
    }
    return override;
  }

  private static int indexByName(List<Object> items, Object item) {
    if (!(item instanceof Map<?, ?> m) || m.get("name") == null) {
      return -1;
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Map<?, ?> other && m.get("name").equals(other.get("name"))) {
        return i;
      }
    }
    return -1;
  }
}
