package io.updraft.worker;

import static io.updraft.worker.Tasks.dag;
import static io.updraft.worker.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.Lookups;
import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections and variables in real shell tries: templates read them through the try's lookups, and
 * every secret they reveal is {@code ***} in the log and in the error line (SPEC §1.7).
 */
class SecretsInTriesTest {
  static final Instant LOGICAL = Instant.parse("2024-01-31T02:00:00Z");
  static final String RUN_ID = "scheduled__2024-01-31T02:00:00+00:00";

  @TempDir Path logs;
  @TempDir Path tmpRoot;

  final Map<String, String> env = new HashMap<>(System.getenv());

  SecretsInTriesTest() {
    env.put("UPDRAFT_CONN_DB", "postgresql://etl:s3cr3t%2Fpw@db.example.com:5432/orders");
    env.put("UPDRAFT_VAR_API_TOKEN", "tok-4242");
    env.put("UPDRAFT_VAR_CFG", "{\"rows\": 10, \"auth\": {\"secret_key\": \"sk-777\"}}");
    env.put("UPDRAFT_VAR_REGION", "eu-west-1");
  }

  TryOutcome run(String command, Map<String, String> taskEnv) {
    Task t = task("t", "shell", Map.of("command", command), taskEnv, null, List.of());
    RunnerSettings settings = RunnerSettings.defaults().withTempRoot(tmpRoot).withBaseEnv(env);
    return new TaskRunner(settings)
        .run(
            TryRequest.builder(dag(Map.of(), t), "t", RUN_ID, LOGICAL, logs)
                .secrets(Lookups.environmentOnly(env))
                .build());
  }

  static String log(TryOutcome o) throws Exception {
    return Files.readString(o.logPath(), StandardCharsets.UTF_8);
  }

  @Test
  void templatesReadConnectionsAndVariablesAndTheLogMasksTheSecrets() throws Exception {
    TryOutcome o =
        run(
            "echo {{ conn.db.login }}@{{ conn.db.host }}:{{ conn.db.port }}/{{ conn.db.schema }}"
                + " {{ conn.db.conn_type }} {{ conn.db.password }}; echo \"pw=$PW\";"
                + " echo {{ var.value.api_token }} {{ var.value.region }};"
                + " echo {{ var.json.cfg.rows }} {{ var.json.cfg.auth.secret_key }};"
                + " echo {{ var.value.get('missing', 'fallback') }}",
            Map.of("PW", "{{ conn.db.password }}"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    String log = log(o);
    assertThat(log)
        .contains("etl@db.example.com:5432/orders postgres ***\n")
        .contains("pw=***\n")
        .contains("*** eu-west-1\n")
        .contains("10 ***\n")
        .contains("fallback\n")
        .doesNotContain("s3cr3t")
        .doesNotContain("tok-4242")
        .doesNotContain("sk-777");
    // The rendered command, as the log shows it, is masked too.
    assertThat(log).contains("[updraft] running: bash -c").contains("postgres ***;");
  }

  @Test
  void anUnknownConnectionOrVariableFailsTheTryNamingIt() throws Exception {
    TryOutcome conn = run("echo {{ conn.nope.host }}", Map.of());
    assertThat(conn.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(conn.failure()).isEqualTo(FailureKind.TEMPLATE);
    assertThat(conn.error())
        .startsWith(
            "cannot render command of task 't': connection 'nope' is not defined: add it"
                + " with 'updraft connections add nope --conn-uri URI' or set UPDRAFT_CONN_NOPE");

    TryOutcome var = run("echo {{ var.value.nope }}", Map.of());
    assertThat(var.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(var.error())
        .startsWith(
            "cannot render command of task 't': variable 'nope' is not defined: set it with"
                + " 'updraft variables set nope VALUE' or set UPDRAFT_VAR_NOPE");

    TryOutcome notJson = run("echo {{ var.json.region }}", Map.of());
    assertThat(notJson.error())
        .contains("variable 'region' is not JSON — read it as var.value.region");
  }

  @Test
  void aMalformedConnectionVariableNamesTheVariableNotItsValue() throws Exception {
    env.put("UPDRAFT_CONN_BROKEN", "postgres://etl:hunter22@host:54x2/db");
    TryOutcome o = run("echo {{ conn.broken.host }}", Map.of());
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .contains(
            "UPDRAFT_CONN_BROKEN is not a valid connection: its port is not a number from 0 to"
                + " 65535")
        .doesNotContain("hunter22");
    assertThat(log(o)).doesNotContain("hunter22");
  }

  @Test
  void theErrorLineIsMaskedToo() throws Exception {
    // A template error that quotes a value it read: the error line must not carry the secret.
    TryOutcome o = run("echo {{ conn.db.password }}{{ conn.db.password.nope }}", Map.of());
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error()).doesNotContain("s3cr3t");
    assertThat(log(o)).doesNotContain("s3cr3t");
  }

  @Test
  void aSecretPrintedOnStderrAndInALongLineIsMasked() throws Exception {
    TryOutcome o =
        run(
            "echo \"$PW\" >&2; printf 'x%.0s' $(seq 1 70000); echo \" $PW\"",
            Map.of("PW", "{{ conn.db.password }}"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(log(o)).doesNotContain("s3cr3t").contains("***");
  }
}
