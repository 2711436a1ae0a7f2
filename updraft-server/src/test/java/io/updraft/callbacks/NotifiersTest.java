package io.updraft.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Notifier;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The notifiers against real things: a bash process, an HTTP server, an SMTP server. */
class NotifiersTest {
  @RegisterExtension
  static GreenMailExtension smtp =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @TempDir Path tmp;
  private HttpServer http;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private Notifiers notifiers(ConnectionLookup connections) {
    return new Notifiers(connections, Duration.ofSeconds(30));
  }

  private String send(Notifiers n, Notifier notifier) throws Exception {
    StringWriter text = new StringWriter();
    try (PrintWriter log = new PrintWriter(text)) {
      n.send(notifier, tmp.resolve("cb.log"), log);
    }
    return text.toString();
  }

  private String server(int status) throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          received.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = "ok then".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
  }

  @Test
  void shellRunsBashAndWritesItsOutputToTheLog() throws Exception {
    String log =
        send(notifiers(ConnectionLookup.none()), new Notifier.Shell("echo hello; echo oops >&2"));
    // Through the runner's writer, which masks secrets, not straight into the file.
    assertThat(log).contains("hello").contains("oops");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("shell-"));
    }
    assertThatThrownBy(() -> send(notifiers(ConnectionLookup.none()), new Notifier.Shell("exit 4")))
        .isInstanceOf(NotifierFailure.class)
        .hasMessage("the command exited with code 4");
  }

  @Test
  void httpPostsASlackStyleJsonBody() throws Exception {
    String url = server(200);
    String log =
        send(
            notifiers(ConnectionLookup.none()),
            new Notifier.Http(url, null, Map.of("X-Token", "t"), Map.of("text", "load failed")));
    assertThat(received).containsExactly("POST application/json {\"text\":\"load failed\"}");
    assertThat(log).contains("status 200: ok then");
  }

  @Test
  void aNon2xxStatusFailsWithTheStatusAndTheStartOfTheBody() throws Exception {
    String url = server(503);
    assertThatThrownBy(
            () ->
                send(
                    notifiers(ConnectionLookup.none()),
                    new Notifier.Http(url, "PUT", null, "plain")))
        .isInstanceOf(NotifierFailure.class)
        .hasMessage("PUT " + url + " answered 503: ok then");
  }

  @Test
  void anUnreachableHostFailsInOneLine() {
    assertThatThrownBy(
            () ->
                send(
                    notifiers(ConnectionLookup.none()),
                    new Notifier.Http("http://127.0.0.1:1/x", null, null, null)))
        .isInstanceOf(NotifierFailure.class)
        .hasMessageStartingWith("GET http://127.0.0.1:1/x failed: ConnectException");
  }

  @Test
  void emailGoesThroughTheSmtpDefaultConnection() throws Exception {
    ConnectionLookup smtpDefault =
        id ->
            id.equals("smtp_default")
                ? Optional.of(
                    new Connection(
                        id,
                        "smtp",
                        "127.0.0.1",
                        smtp.getSmtp().getPort(),
                        null,
                        null,
                        null,
                        // Airflow's SMTP provider keys, as the email operator reads them: the test
                        // server speaks plain SMTP
                        Map.of(
                            "from_email",
                            "updraft@example.com",
                            "disable_ssl",
                            true,
                            "disable_tls",
                            true)))
                : Optional.empty();
    send(
        notifiers(smtpDefault),
        new Notifier.Email(List.of("ops@example.com"), "load failed", "<b>boom</b>"));
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getSubject()).isEqualTo("load failed");
    assertThat(mails[0].getFrom()[0].toString()).isEqualTo("updraft@example.com");
    assertThat(GreenMailUtil.getBody(mails[0])).contains("<b>boom</b>");
  }

  @Test
  void emailWithoutAConnectionSaysWhichToAdd() {
    assertThatThrownBy(
            () ->
                send(
                    notifiers(ConnectionLookup.none()),
                    new Notifier.Email(List.of("a@b.c"), "s", "")))
        .isInstanceOf(NotifierFailure.class)
        .hasMessageContaining("smtp_default");
  }
}
