package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.AssetEventRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.TestBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad requests get a 4xx and one {@code detail} line that names what is wrong — never a 500, never
 * a stack trace — and change nothing. Input handling does not depend on the database: H2 only.
 */
class ApiBadInputTest extends ApiServerTestBase {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  private Response trigger(String body) {
    return send("POST", "/api/v2/dags/orders/dagRuns", tokens.get(Role.ADMIN), body);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"dag_run_id": "bad run id"}                         | 422 | dag_run_id
          {"dag_run_id": ""}                                   | 422 | dag_run_id
          {"dag_run_id": 7}                                    | 422 | 'dag_run_id' must be a string
          {"logical_date": "yesterday"}                        | 422 | logical_date
          {"logical_date": "2024-13-45T00:00:00Z"}             | 422 | logical_date
          {"logical_date": 1704067200}                         | 422 | logical_date
          {"conf": [1, 2]}                                     | 422 | 'conf' must be a JSON object
          {"conf": "{}"}                                       | 422 | conf
          {"dag_run_id": "x", "colour": "red"}                 | 422 | colour
          {"dag_run_id": "x",                                  | 400 | not valid JSON
          not json at all                                      | 400 | not valid JSON
          [1, 2]                                               | 422 | JSON object
          null                                                 | 422 | JSON object
          {"dag_run_id": "y"} {"b": 2}                         | 400 | not valid JSON
          """)
  void aBadTriggerBodyIsRefusedNamingTheField(String body, int status, String named) {
    int runsBefore = new DagRunRepository(db).count("orders");
    Response r = trigger(body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
    assertThat(new DagRunRepository(db).count("orders")).isEqualTo(runsBefore);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"is_paused": "yes"}                 | 422 | 'is_paused' must be true or false
          {"is_paused": 1}                     | 422 | is_paused
          {"is_paused": null}                  | 422 | is_paused
          {}                                   | 422 | is_paused
          {"is_paused": true, "owners": "me"}  | 422 | owners
          """)
  void aBadPatchBodyIsRefusedNamingTheField(String body, int status, String named) {
    Response r = send("PATCH", "/api/v2/dags/orders", tokens.get(Role.ADMIN), body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
  }

  @ParameterizedTest(name = "{0} {1} -> {3} naming {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"dry_run": "no"}                          | 422 | dry_run
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"task_ids": "extract"}                    | 422 | task_ids
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"task_ids": [["extract", 0]]}             | 422 | task_ids
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"start_date": "soon"}                     | 422 | start_date
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"start_date": "2024-02-01", "end_date": "2024-01-01"} | 422 | start_date
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"dag_run_id": "seeded", "end_date": "2024-01-01"}     | 422 | dag_run_id
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"include_future": true}                   | 422 | include_future
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"colour": 1}                              | 422 | colour
          POST  | /api/v2/dags/orders/clearTaskInstances                   | {"task_ids": ["nope"]}                     | 404 | nope
          POST  | /api/v2/dags/nope/clearTaskInstances                     | {}                                         | 404 | nope
          POST  | /api/v2/dags/orders/dagRuns/seeded/clear                 | {"only_failed": "yes"}                     | 422 | only_failed
          PATCH | /api/v2/dags/orders/dagRuns/seeded                       | {"state": "running"}                       | 422 | state
          PATCH | /api/v2/dags/orders/dagRuns/seeded                       | {"state": "queued", "note": "x"}           | 422 | note
          PATCH | /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract | {"new_state": "up_for_retry"}              | 422 | new_state
          PATCH | /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract | {}                                         | 422 | new_state
          PATCH | /api/v2/dags/orders/dagRuns/seeded/taskInstances/nope    | {"new_state": "success"}                   | 404 | nope
          """)
  void aBadWriteBodyIsRefusedNamingTheFieldAndChangesNothing(
      String method, String path, String body, int status, String named) {
    long audits = new io.updraft.store.LogRepository(db).recent(1000).size();
    Response r = send(method, path, tokens.get(Role.ADMIN), body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
    assertThat(new io.updraft.store.LogRepository(db).recent(1000)).hasSize((int) audits);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /api/v2/dags/orders/dagRuns?state=dancing                                     | 422 | state
          /api/v2/dags/~/dagRuns?logical_date_gte=yesterday                             | 422 | logical_date_gte
          /api/v2/dags/~/dagRuns/~/taskInstances?state=sleeping                         | 422 | state
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/x                    | 422 | map_index
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/tries?map_index=-2   | 422 | map_index
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/logs/zero            | 422 | try_number
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/logs/1?token=abc     | 400 | token
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/logs/1?full_content=x | 422 | full_content
          /api/v2/dags/orders/dagRuns/seeded/taskInstances/extract/xcomEntries/nope     | 404 | nope
          """)
  void badReadParametersAreRefusedNamingThem(String path, int status, String named) {
    Response r = get(path, Role.VIEWER);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /api/v2/dags?limit=ten                                     | 422 | limit
          /api/v2/dags?limit=-1                                      | 422 | limit
          /api/v2/dags?offset=-5                                     | 422 | offset
          /api/v2/dags?paused=maybe                                  | 422 | paused
          /api/v2/dags?order_by=colour                               | 400 | order_by
          /api/v2/dags/orders/dagRuns?order_by=conf                  | 400 | order_by
          /api/v2/dags/orders/dagRuns/seeded/taskInstances?limit=x   | 422 | limit
          /api/v2/nothing/here                                       | 404 | no such endpoint
          /api/v2/assets?order_by=colour                             | 400 | order_by
          /api/v2/assets/abc                                         | 422 | asset_id
          /api/v2/assets/987654                                      | 404 | no asset with id 987654
          /api/v2/assets/events?asset_id=x                           | 422 | asset_id
          /api/v2/assets/events?source_map_index=x                   | 422 | source_map_index
          /api/v2/assets/events?timestamp_gte=soon                   | 422 | timestamp_gte
          /api/v2/assets/events?timestamp_lte=2024-99-01             | 422 | timestamp_lte
          /api/v2/assets/events?order_by=extra                       | 400 | order_by
          """)
  void badQueryParametersAreRefusedNamingThem(String path, int status, String named) {
    Response r = get(path, Role.VIEWER);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                                                   | 422 | asset_id or uri
          {"asset_id": 1, "uri": "s3://warehouse/orders"}      | 422 | asset_id or uri
          {"asset_id": "one"}                                  | 422 | 'asset_id' must be a number
          {"asset_id": 987654}                                 | 404 | no asset with id 987654
          {"uri": "s3://not/registered"}                       | 404 | no asset 's3://not/registered'
          {"uri": "s3://has space"}                            | 422 | uri
          {"uri": 5}                                           | 422 | 'uri' must be a string
          {"uri": "s3://warehouse/orders", "extra": [1]}       | 422 | 'extra' must be a JSON object
          {"uri": "s3://warehouse/orders", "colour": "red"}    | 422 | colour
          """)
  void aBadAssetEventBodyIsRefusedNamingTheField(String body, int status, String named) {
    int before = new AssetEventRepository(db).count(AssetEventRepository.Filter.NONE);
    Response r = send("POST", "/api/v2/assets/events", tokens.get(Role.ADMIN), body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.detail()).as(r.body()).contains(named);
    assertThat(new AssetEventRepository(db).count(AssetEventRepository.Filter.NONE))
        .isEqualTo(before);
  }

  @Test
  void aMethodAPathDoesNotTakeIsA405() {
    Response r = send("DELETE", "/api/v2/dags/orders", tokens.get(Role.ADMIN), null);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.detail()).contains("DELETE is not allowed on /api/v2/dags/orders");
  }

  @Test
  void anOversizedBodyIsRefusedBeforeItIsRead() {
    String conf = "x".repeat(Bodies.MAX_BYTES + 10);
    Response r = trigger("{\"conf\": {\"big\": \"" + conf + "\"}}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.detail()).contains("larger than " + Bodies.MAX_BYTES);
  }

  @Test
  void aSignInWithoutItsFieldsSaysWhichIsMissing() {
    Response r = send("POST", "/auth/token", null, "{\"username\": \"admin\"}");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.detail()).contains("password");
    Response empty = send("POST", "/auth/token", null, null);
    assertThat(empty.status()).isEqualTo(422);
  }

  /** Fuzz-style: odd bodies to every endpoint that reads one; the answer is always a clean 4xx. */
  @Test
  void noMalformedRequestGetsA500OrAStackTrace() {
    List<String> bodies =
        List.of(
            "",
            "{",
            "}",
            "\"string\"",
            "12",
            "true",
            "{\"\": null}",
            "{\"dag_run_id\": {\"nested\": 1}}",
            "{\"logical_date\": [\"2024-01-01\"]}",
            "{\"username\": 5, \"password\": false}",
            "{\"is_paused\": {}}",
            "{\"name\": 5, \"slots\": \"x\", \"include_deferred\": \"no\"}",
            "{\"key\": \"\", \"value\": null, \"description\": []}",
            "{\"connection_id\": \"a b\", \"conn_type\": \"\", \"port\": \"80\", \"extra\": 5}",
            "{\"username\": \"x\", \"password\": \"\", \"roles\": \"Admin\"}",
            "{\"roles\": [{\"name\": null}], \"slots\": -7, \"extra\": \"[1]\"}",
            "{\"asset_id\": -1}",
            "{\"asset_id\": 1e400}",
            "{\"uri\": \"\"}",
            "{\"uri\": \"s3://warehouse/orders\", \"extra\": {\"a\": null}}",
            "{\"dry_run\": \"no\", \"task_ids\": \"extract\"}",
            "{\"task_ids\": [null], \"dag_run_id\": 5}",
            "{\"state\": [\"success\"], \"new_state\": {}}",
            "{\"start_date\": \"someday\", \"end_date\": 3}",
            "\u0000\u0001\u0002",
            "{\"conf\": {\"a\": " + "[".repeat(5000) + "}}");
    List<String> problems = new ArrayList<>();
    for (Route route : server.routes()) {
      String path =
          route
              .path()
              .replace("{dag_id}", "orders")
              // a delete would take the run the other tests read: one that does not exist
              .replace("{dag_run_id}", route.method().name().equals("DELETE") ? "gone" : SEEDED_RUN)
              .replace("{task_id}", "extract")
              .replace("{map_index}", "-1")
              .replace("{try_number}", "1")
              .replace("{xcom_key}", "k")
              .replace("{pool_name}", "default_pool")
              .replace("{username}", "nobody")
              .replaceAll("\\{[a-z_]+_id\\}", "1")
              .replaceAll("\\{[a-z_]+\\}", "something");
      List<String> sent = route.body() == null ? List.of("") : bodies;
      for (String body : sent) {
        Response r =
            send(
                route.method().name(),
                path + "?limit=zz&offset=1e3&order_by=%27;drop",
                tokens.get(Role.ADMIN),
                body.isEmpty() ? null : body);
        boolean clean =
            r.status() < 500
                && r.body() != null
                && !r.body().contains("Exception")
                && !r.body().contains("\tat ")
                && (r.status() < 400 || r.detail() != null);
        if (!clean) {
          problems.add(route.method() + " " + path + " with " + abbreviate(body) + ": " + r);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
