package io.updraft.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a pod that failed its try says about itself, as lines for the try's log: its phase, its
 * conditions, each container's waiting or terminated state, and its events, oldest first (what
 * {@code kubectl describe pod} shows). The pod's spec is left out: it holds the task token.
 */
final class PodReport {
  private PodReport() {}

  /** The start failures the kubelet reports on a waiting container: the pod will not start. */
  static final List<String> START_FAILURES =
      List.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  /** The reason a pending pod will never start, or null. */
  static String startFailure(Pod pod) {
    PodStatus s = pod.getStatus();
    if (s == null || !"Pending".equals(s.getPhase())) {
      return null;
    }
    for (ContainerStatus c : containers(s)) {
      if (c.getState() != null
          && c.getState().getWaiting() != null
          && START_FAILURES.contains(c.getState().getWaiting().getReason())) {
        String m = c.getState().getWaiting().getMessage();
        return "container "
            + c.getName()
            + " cannot start: "
            + c.getState().getWaiting().getReason()
            + (m == null ? "" : " (" + m + ")");
      }
    }
    return null;
  }

  /** Why a pod is still pending, for the timeout's message: unschedulable, or just pending. */
  static String pendingReason(Pod pod) {
    PodStatus s = pod.getStatus();
    if (s != null && s.getConditions() != null) {
      for (PodCondition c : s.getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return "not scheduled: "
              + Objects.toString(c.getReason(), "")
              + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
        }
      }
    }
    return "still pending";
  }

  static List<String> lines(Pod pod, List<Event> events) {
    List<String> out = new ArrayList<>();
    PodStatus s = pod.getStatus();
    out.add(
        "pod "
            + pod.getMetadata().getNamespace()
            + "/"
            + pod.getMetadata().getName()
            + ": phase "
            + (s == null ? "unknown" : s.getPhase())
            + (s != null && s.getReason() != null ? ", reason " + s.getReason() : "")
            + (s != null && s.getMessage() != null ? ": " + s.getMessage() : ""));
    if (s != null && s.getConditions() != null) {
      for (PodCondition c : s.getConditions()) {
        out.add(
            "  condition "
                + c.getType()
                + "="
                + c.getStatus()
                + (c.getReason() == null ? "" : " " + c.getReason())
                + (c.getMessage() == null ? "" : ": " + c.getMessage()));
      }
    }
    if (s != null) {
      for (ContainerStatus c : containers(s)) {
        if (c.getState() == null) {
          continue;
        }
        if (c.getState().getWaiting() != null) {
          out.add(
              "  container "
                  + c.getName()
                  + " waiting: "
                  + c.getState().getWaiting().getReason()
                  + (c.getState().getWaiting().getMessage() == null
                      ? ""
                      : ": " + c.getState().getWaiting().getMessage()));
        } else if (c.getState().getTerminated() != null) {
          var t = c.getState().getTerminated();
          out.add(
              "  container "
                  + c.getName()
                  + " terminated: exit code "
                  + t.getExitCode()
                  + (t.getReason() == null ? "" : ", " + t.getReason())
                  + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }
      }
    }
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")));
    if (sorted.isEmpty()) {
      out.add("  no events");
    }
    for (Event e : sorted) {
      out.add(
          "  event "
              + Objects.toString(e.getType(), "")
              + " "
              + Objects.toString(e.getReason(), "")
              + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "")
              + ": "
              + Objects.toString(e.getMessage(), ""));
    }
    return out;
  }

  private static List<ContainerStatus> containers(PodStatus s) {
    List<ContainerStatus> all = new ArrayList<>();
    if (s.getInitContainerStatuses() != null) {
      all.addAll(s.getInitContainerStatuses());
    }
    if (s.getContainerStatuses() != null) {
      all.addAll(s.getContainerStatuses());
    }
    return all;
  }
}
