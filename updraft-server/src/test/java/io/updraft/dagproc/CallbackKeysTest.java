package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Callbacks;
import io.updraft.dag.Dag;
import io.updraft.dag.Deadline;
import io.updraft.dag.Notifier;
import io.updraft.dag.Task;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The callback keys of DAG files (SPEC §1.8): reading, errors with positions, JSON, parity. */
class CallbackKeysTest {
  @TempDir Path dir;

  private DagFileResult parse(String yaml) throws IOException {
    Path file = dir.resolve("dag.yaml");
    Files.writeString(file, yaml);
    return new YamlDagParser().parse(file);
  }

  private Dag only(String yaml) throws IOException {
    DagFileResult r = parse(yaml);
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0);
  }

  private String onlyError(String yaml) throws IOException {
    DagFileResult r = parse(yaml);
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    DagFileError e = r.errors().get(0);
    return e.line() + ":" + e.column() + ": " + e.message();
  }

  static final String YAML =
      """
      dag_id: alerts
      schedule: null
      on_failure: {shell: "./page.sh {{ run_id }}"}
      on_success:
        - http: {url: "https://hooks.slack.com/x", body: {text: "done {{ ds }}"}}
      deadline: {reference: queued_at, interval: 2h, callback: {shell: ./late.sh}}
      default_args:
        on_failure: {shell: echo failed}
        email: [ops@example.com]
        email_on_retry: false
      tasks:
        - task_id: load
          operator: shell
          command: ./load.sh
          on_retry: [{shell: echo retry}, {email: {to: a@b.c, subject: retry}}]
          on_execute: {http: {url: "http://localhost/start", method: put}}
        - task_id: quiet
          operator: shell
          command: "true"
          email_on_failure: false
          on_failure: null
      """;

  @Test
  void readsTaskDagAndDefaultArgCallbacks() throws IOException {
    Dag dag = only(YAML);
    assertThat(dag.callbacks().of(Callbacks.ON_FAILURE))
        .containsExactly(new Notifier.Shell("./page.sh {{ run_id }}"));
    Notifier.Http slack = (Notifier.Http) dag.callbacks().of(Callbacks.ON_SUCCESS).get(0);
    assertThat(slack.method()).isEqualTo("POST");
    assertThat(slack.body()).isEqualTo(Map.of("text", "done {{ ds }}"));
    assertThat(dag.deadline())
        .isEqualTo(
            new Deadline(
                Deadline.Reference.QUEUED_AT,
                Duration.ofHours(2),
                List.of(new Notifier.Shell("./late.sh"))));

    Task load = dag.task("load").orElseThrow();
    // default_args' on_failure, then Airflow's email on failure; no email on retry (turned off).
    assertThat(load.callbacks().of(Callbacks.ON_FAILURE)).hasSize(2);
    assertThat(load.callbacks().of(Callbacks.ON_FAILURE).get(1)).isInstanceOf(Notifier.Email.class);
    assertThat(load.callbacks().of(Callbacks.ON_RETRY))
        .containsExactly(
            new Notifier.Shell("echo retry"), new Notifier.Email(List.of("a@b.c"), "retry", null));
    assertThat(((Notifier.Http) load.callbacks().of(Callbacks.ON_EXECUTE).get(0)).method())
        .isEqualTo("PUT");

    Task quiet = dag.task("quiet").orElseThrow();
    // on_failure: null leaves default_args' value (as every key does); email_on_failure: false
    assertThat(quiet.callbacks().of(Callbacks.ON_FAILURE))
        .containsExactly(new Notifier.Shell("echo failed"));
  }

  @Test
  void serializesAndReadsBackTheSameDag() throws IOException {
    Dag dag = only(YAML);
    String json = DagSerializer.toJson(dag);
    assertThat(json).contains("\"callbacks\"").contains("\"deadline\"");
    assertThat(DagSerializer.toJson(DagSerializer.fromJson(json))).isEqualTo(json);
  }

  @Test
  void aDagWithoutCallbacksWritesNoCallbackKeys() throws IOException {
    Dag dag = only("dag_id: d\nschedule: null\ntasks:\n  - {task_id: a, operator: empty}\n");
    String json = DagSerializer.toJson(dag);
    assertThat(json).doesNotContain("callbacks").doesNotContain("deadline");
  }

  @Test
  void badNotifiersAreErrorsAtTheirKey() throws IOException {
    String head = "dag_id: d\nschedule: null\ntasks:\n  - task_id: a\n    operator: empty\n";
    assertThat(onlyError(head + "    on_failure: {slack: x}\n"))
        .startsWith("6:5: ")
        .contains("unknown notifier 'slack'")
        .contains("shell, http or email");
    assertThat(onlyError(head + "    on_success: {http: {method: POST}}\n"))
        .startsWith("6:5: ")
        .contains("http: needs url");
    assertThat(onlyError(head + "    on_retry: {email: {to: a@b.c, subjet: x}}\n"))
        .contains("unknown key 'subjet'")
        .contains("did you mean subject");
    assertThat(onlyError(head + "    on_skipped: [{shell: ''}]\n"))
        .contains("item 0: shell: needs the command");
    assertThat(onlyError(head + "    on_failed: {shell: x}\n")).contains("on_failed");
  }

  @Test
  void badDeadlinesAreErrorsAtTheirKey() throws IOException {
    String head = "dag_id: d\nschedule: null\n";
    assertThat(
            onlyError(
                head + "deadline: {reference: start_date, interval: 1h, callback: {shell: x}}\n"))
        .startsWith("3:12: ")
        .contains("logical_date, queued_at or data_interval_end");
    assertThat(onlyError(head + "deadline: {reference: logical_date, interval: 1h}\n"))
        .contains("deadline needs callback");
    assertThat(
            onlyError(
                head + "deadline: {reference: logical_date, interval: soon, callback: {shell: x}}"))
        .contains("interval");
  }

  @Test
  void theJavaBuilderMakesTheSameDag() throws IOException {
    Dag yaml =
        only(
            """
            dag_id: alerts
            schedule: null
            on_failure: {shell: ./page.sh}
            deadline: {reference: logical_date, interval: 30m, callback: {shell: ./late.sh}}
            default_args:
              email: ops@example.com
            tasks:
              - task_id: load
                operator: shell
                command: ./load.sh
                on_retry: {http: {url: "http://x/retry", body: "r"}}
            """);
    Dag java =
        Dags.dag("alerts")
            .onFailure(new Notifier.Shell("./page.sh"))
            .deadline("logical_date", Duration.ofMinutes(30), new Notifier.Shell("./late.sh"))
            .defaultArgs(d -> d.email("ops@example.com"))
            .task(
                Tasks.shell("load", "./load.sh")
                    .onRetry(new Notifier.Http("http://x/retry", null, null, "r")))
            .build();
    assertThat(java).isEqualTo(yaml);
    assertThat(DagSerializer.toJson(java)).isEqualTo(DagSerializer.toJson(yaml));
  }
}
