package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.LogRepository;
import io.updraft.store.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad requests to pools, variables, connections, users, import errors, event logs and DAG tasks: a
 * 4xx whose one {@code detail} line names the field, and nothing written (the audit log does not
 * grow). Input handling does not depend on the database: H2 only.
 */
class ApiResourcesBadInputTest extends ApiServerTestBase {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3} naming {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          POST  | /api/v2/pools                    | {"slots": 3}                                   | 422 | name
          POST  | /api/v2/pools                    | {"name": "p"}                                  | 422 | slots
          POST  | /api/v2/pools                    | {"name": "p", "slots": "three"}                | 422 | 'slots' must be a number
          POST  | /api/v2/pools                    | {"name": "p", "slots": 1, "include_deferred": "y"} | 422 | include_deferred
          POST  | /api/v2/pools                    | {"name": "p", "slots": 1, "colour": "red"}     | 422 | colour
          POST  | /api/v2/pools                    | {"name": "p", "slots": -2}                     | 400 | slots
          PATCH | /api/v2/pools/default_pool       | {"slots": null}                                | 200 |
          PATCH | /api/v2/pools/default_pool?update_mask=slots | {"slots": null}                    | 422 | slots
          PATCH | /api/v2/pools/default_pool?update_mask=name | {"name": "x"}                      | 400 | update_mask
          PATCH | /api/v2/pools/default_pool       | {"name": "renamed"}                            | 400 | name
          POST  | /api/v2/variables                | {"value": "v"}                                 | 422 | key
          POST  | /api/v2/variables                | {"key": "k"}                                   | 422 | value
          POST  | /api/v2/variables                | {"key": "k", "value": null}                    | 422 | value
          POST  | /api/v2/variables                | {"key": "no spaces", "value": "v"}             | 422 | key
          POST  | /api/v2/variables                | {"key": "k", "value": "v", "description": 5}   | 422 | description
          PATCH | /api/v2/variables/nope           | {"value": "v"}                                 | 404 | nope
          POST  | /api/v2/connections              | {"conn_type": "http"}                          | 422 | connection_id
          POST  | /api/v2/connections              | {"connection_id": "c"}                         | 422 | conn_type
          POST  | /api/v2/connections              | {"connection_id": "c/d", "conn_type": "http"}  | 422 | connection_id
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "h t t p"} | 422 | conn_type
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "http", "port": 70000} | 422 | port
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "http", "port": "80"}  | 422 | port
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "http", "extra": "[1]"} | 422 | extra
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "http", "extra": "{bad"} | 422 | extra
          POST  | /api/v2/connections              | {"connection_id": "c", "conn_type": "http", "extra": 5}    | 422 | extra
          PATCH | /api/v2/connections/nope         | {"host": "h"}                                  | 404 | nope
          POST  | /auth/fab/v1/users               | {"username": "u", "roles": [{"name": "Viewer"}]} | 422 | password
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "short", "roles": [{"name": "Viewer"}]} | 422 | password
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "long-enough"}   | 422 | roles
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "long-enough", "roles": []} | 422 | roles
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "long-enough", "roles": [{"name": "Boss"}]} | 422 | roles
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "long-enough", "roles": [{"name": "Op"}, {"name": "User"}]} | 422 | roles
          POST  | /auth/fab/v1/users               | {"username": "a b", "password": "long-enough", "roles": [{"name": "Op"}]} | 422 | username
          POST  | /auth/fab/v1/users               | {"username": "u", "password": "long-enough", "roles": [{"name": "Op"}], "email": "u@x"} | 422 | email
          PATCH | /auth/fab/v1/users/viewer?update_mask=password | {}                              | 422 | password
          PATCH | /auth/fab/v1/users/nobody        | {"password": "long-enough"}                    | 404 | nobody
          GET   | /api/v2/importErrors/x1          |                                                | 422 | import_error_id
          GET   | /api/v2/importErrors?order_by=message |                                           | 400 | order_by
          GET   | /api/v2/eventLogs/-x             |                                                | 422 | event_log_id
          GET   | /api/v2/eventLogs?after=soon     |                                                | 422 | after
          GET   | /api/v2/eventLogs?map_index=first |                                               | 422 | map_index
          GET   | /api/v2/eventLogs?limit=-1       |                                                | 422 | limit
          GET   | /api/v2/pools?offset=x           |                                                | 422 | offset
          GET   | /api/v2/variables?order_by=value |                                                | 400 | order_by
          GET   | /api/v2/dagSources/orders?version_number=one |                                    | 422 | version_number
          GET   | /api/v2/dags/orders/tasks/nope   |                                                | 404 | nope
          """)
  void aBadRequestIsRefusedNamingTheFieldAndChangesNothing(
      String method, String path, String body, int status, String named) {
    int auditBefore = new LogRepository(db).count(LogRepository.Filter.NONE);
    Response r = send(method, path, tokens.get(Role.ADMIN), body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    if (status >= 400) {
      assertThat(r.detail()).as(r.body()).contains(named);
      assertThat(new LogRepository(db).count(LogRepository.Filter.NONE))
          .as("nothing audited: nothing changed")
          .isEqualTo(auditBefore);
    }
  }
}
