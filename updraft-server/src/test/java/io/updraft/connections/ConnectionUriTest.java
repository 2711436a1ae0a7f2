package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConnectionUri} against what Airflow 2.10's {@code Connection.from_uri} makes of the same
 * URIs (its rules: {@code urlsplit}, {@code unquote}, {@code parse_qsl}, {@code __extra__}, the
 * protocol-in-host form, {@code _normalize_conn_type}).
 */
class ConnectionUriTest {

  record Expected(
      String type,
      String host,
      Integer port,
      String login,
      String password,
      String schema,
      Map<String, Object> extra) {}

  static Stream<Arguments> uris() {
    return Stream.of(
        Arguments.of(
            "postgresql://user:pass@db.example.com:5432/orders?sslmode=require",
            new Expected(
                "postgres",
                "db.example.com",
                5432,
                "user",
                "pass",
                "orders",
                Map.of("sslmode", "require"))),
        Arguments.of(
            "google-cloud-platform://?extra__google_cloud_platform__project=p1",
            new Expected(
                "google_cloud_platform",
                null,
                null,
                null,
                null,
                null,
                Map.of("extra__google_cloud_platform__project", "p1"))),
        Arguments.of(
            "mysql://us%40er:p%40ss%2Fw%3Ard@Host.Example.COM:3306/my%2Fschema",
            new Expected(
                "mysql", "host.example.com", 3306, "us@er", "p@ss/w:rd", "my/schema", Map.of())),
        Arguments.of(
            "http://https://api.example.com:443/v1",
            new Expected("http", "https://api.example.com", 443, null, null, "v1", Map.of())),
        Arguments.of(
            "http://user:pw@https://host", null), // an '@' before the second '://': refused below
        Arguments.of(
            "aws://?__extra__=%7B%22region_name%22%3A+%22eu-west-1%22%2C+%22n%22%3A+%7B%22a%22%3A+1%7D%7D",
            new Expected(
                "aws",
                null,
                null,
                null,
                null,
                null,
                Map.of("region_name", "eu-west-1", "n", Map.of("a", 1)))),
        Arguments.of(
            "ssh://me@host?key_file=%2Fhome%2Fu%2F.ssh%2Fid&no_host_key_check=true&empty=&flag",
            new Expected(
                "ssh",
                "host",
                null,
                "me",
                null,
                null,
                Map.of(
                    "key_file", "/home/u/.ssh/id",
                    "no_host_key_check", "true",
                    "empty", "",
                    "flag", ""))),
        Arguments.of(
            "spark://Spark%2FMaster:7077",
            new Expected("spark", "Spark/Master", 7077, null, null, null, Map.of())),
        Arguments.of(
            "postgres://[::1]:5432/db",
            new Expected("postgres", "::1", 5432, null, null, "db", Map.of())),
        Arguments.of(
            "http://u:a+b%2Bc@h/p+q?q=a+b",
            new Expected("http", "h", null, "u", "a+b+c", "p+q", Map.of("q", "a b"))),
        Arguments.of(
            "smtp://:secret@mail.example.com:587",
            new Expected("smtp", "mail.example.com", 587, null, "secret", null, Map.of())),
        Arguments.of(
            "http://h/%zz%C3%A9", new Expected("http", "h", null, null, null, "%zzé", Map.of())),
        Arguments.of("sqlite://", new Expected("sqlite", null, null, null, null, null, Map.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uris")
  void parsesAsAirflowDoes(String uri, Expected e) {
    if (e == null) {
      assertThatThrownBy(() -> ConnectionUri.parse("c", uri))
          .isInstanceOf(IllegalArgumentException.class);
      return;
    }
    Connection c = ConnectionUri.parse("c", uri);
    assertThat(
            new Expected(
                c.connType(), c.host(), c.port(), c.login(), c.password(), c.schema(), c.extra()))
        .isEqualTo(e);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "just-some-text",
            "it is not a connection URI: write conn-type://login:password@host:port/schema"),
        Arguments.of(
            "a://b://c://d",
            "it has more than two '://': only the host may carry a protocol"
                + " (conn-type://protocol://host)"),
        Arguments.of(
            "postgres://u:hunter2@host:54x2/db", "its port is not a number from 0 to 65535"),
        Arguments.of(
            "postgres://u:hunter2@host:70000/db", "its port is not a number from 0 to 65535"),
        Arguments.of(
            "http://user:hunter2@https://host",
            "the host's protocol cannot hold '@' or ':' — percent-encode them in the login or"
                + " password"),
        Arguments.of(
            "1abc://host",
            "its conn-type '1abc' is not a URI scheme: letters, digits, '+', '-' and '.' starting"
                + " with a letter"),
        Arguments.of("http://h?__extra__=%5B1%5D", "__extra__ must be a JSON object"),
        Arguments.of("http://h?__extra__=hunter2", "__extra__ is not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedUriIsOneLineWithoutThePassword(String uri, String message) {
    assertThatThrownBy(() -> ConnectionUri.parse("c", uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
