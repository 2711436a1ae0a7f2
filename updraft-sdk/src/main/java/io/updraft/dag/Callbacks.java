package io.updraft.dag;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notifiers of a task's or a DAG's callbacks, by event ({@code on_failure}, ...). Empty for the
 * many tasks and DAGs that have none, which then serialize exactly as before callbacks existed.
 */
public record Callbacks(Map<String, List<Notifier>> byEvent) {
  public static final String ON_EXECUTE = "on_execute";
  public static final String ON_SUCCESS = "on_success";
  public static final String ON_FAILURE = "on_failure";
  public static final String ON_RETRY = "on_retry";
  public static final String ON_SKIPPED = "on_skipped";

  /** The events a task has (Airflow's on_*_callback), in the order they are listed in docs. */
  public static final List<String> TASK_EVENTS =
      List.of(ON_FAILURE, ON_SUCCESS, ON_RETRY, ON_EXECUTE, ON_SKIPPED);

  /** The events of a DAG: its run's end. */
  public static final List<String> DAG_EVENTS = List.of(ON_SUCCESS, ON_FAILURE);

  public static final Callbacks NONE = new Callbacks(Map.of());

  public Callbacks {
    Map<String, List<Notifier>> copy = new LinkedHashMap<>();
    if (byEvent != null) {
      byEvent.forEach(
          (event, list) -> {
            if (list != null && !list.isEmpty()) {
              copy.put(event, List.copyOf(list));
            }
          });
    }
    byEvent = Collections.unmodifiableMap(copy);
  }

  /** The notifiers of {@code event}, empty when none. */
  public List<Notifier> of(String event) {
    return byEvent.getOrDefault(event, List.of());
  }

  public boolean isEmpty() {
    return byEvent.isEmpty();
  }

  /** These callbacks with {@code more} added after the notifiers of their events. */
  public Callbacks plus(Map<String, List<Notifier>> more) {
    Map<String, List<Notifier>> m = new LinkedHashMap<>();
    byEvent.forEach((k, v) -> m.put(k, new java.util.ArrayList<>(v)));
    more.forEach((k, v) -> m.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
    return new Callbacks(m);
  }

  /** Airflow's subject of a failure or retry mail, with Updraft's name. */
  static final String EMAIL_SUBJECT =
      "Updraft alert: {{ ti.dag_id }}.{{ ti.task_id }} {{ reason }} (run {{ run_id }})";

  static final String EMAIL_BODY =
      "Try {{ ti.try_number }}: {{ reason }}<br>Exception:<br>{{ exception }}<br>"
          + "DAG {{ ti.dag_id }}, task {{ ti.task_id }}, run {{ run_id }}";

  /**
   * A task's callbacks from its resolved keys (default_args under the task's own): the notifiers of
   * {@code on_*} (each a {@code List<Notifier>}), and Airflow's {@code email} (a list of addresses)
   * with {@code email_on_failure} (default true) and {@code email_on_retry} (default true, as in
   * Airflow), which add a mail after the failure's and the retry's own notifiers.
   */
  @SuppressWarnings("unchecked")
  public static Callbacks forTask(Map<String, Object> values) {
    Map<String, List<Notifier>> m = new LinkedHashMap<>();
    for (String event : TASK_EVENTS) {
      Object v = values.get(event);
      if (v != null) {
        m.put(event, (List<Notifier>) v);
      }
    }
    Callbacks callbacks = new Callbacks(m);
    List<String> email = (List<String>) values.get("email");
    if (email == null || email.isEmpty()) {
      return callbacks;
    }
    Map<String, List<Notifier>> mails = new LinkedHashMap<>();
    Notifier mail = new Notifier.Email(email, EMAIL_SUBJECT, EMAIL_BODY);
    if (!Boolean.FALSE.equals(values.get("email_on_failure"))) {
      mails.put(ON_FAILURE, List.of(mail));
    }
    if (!Boolean.FALSE.equals(values.get("email_on_retry"))) {
      mails.put(ON_RETRY, List.of(mail));
    }
    return callbacks.plus(mails);
  }
}
