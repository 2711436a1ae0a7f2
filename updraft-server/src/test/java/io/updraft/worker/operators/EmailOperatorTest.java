package io.updraft.worker.operators;

import static io.updraft.worker.operators.OperatorTries.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.updraft.connections.Connection;
import io.updraft.state.TaskInstanceState;
import io.updraft.worker.FailureKind;
import io.updraft.worker.TryOutcome;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code email} operator against a real SMTP server (GreenMail) running in the test. */
class EmailOperatorTest {

  @RegisterExtension
  static GreenMailExtension smtp =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("etl", "s3cret"))
          .withPerMethodLifecycle(true);

  @TempDir Path logs;
  OperatorTries tries;

  @BeforeEach
  void setUp() {
    tries = new OperatorTries(logs);
  }

  private Connection smtpConnection(String id, String login, String password) {
    return new Connection(
        id,
        "smtp",
        "127.0.0.1",
        smtp.getSmtp().getPort(),
        login,
        password,
        null,
        // Airflow's SMTP provider keys: the test server speaks plain SMTP
        Map.of("disable_ssl", true, "disable_tls", true, "from_email", "updraft@example.com"));
  }

  @Test
  void sendsAnHtmlMailThroughSmtpDefault() throws Exception {
    tries.conn(smtpConnection("smtp_default", "etl", "s3cret"));
    TryOutcome o =
        tries.run(
            "email",
            Map.of(
                "to", List.of("ops@example.com", "data@example.com"),
                "cc", "lead@example.com",
                "bcc", "audit@example.com",
                "subject", "Orders loaded for 2024-01-31",
                "html_content", "<h1>Done</h1><p>42 rows</p>"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isNull();
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(4); // one delivery per recipient, as a real server does
    MimeMessage m = received[0];
    assertThat(m.getSubject()).isEqualTo("Orders loaded for 2024-01-31");
    assertThat(m.getFrom()[0].toString()).isEqualTo("updraft@example.com");
    assertThat(m.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("ops@example.com", "data@example.com");
    assertThat(m.getRecipients(Message.RecipientType.CC))
        .extracting(Object::toString)
        .containsExactly("lead@example.com");
    assertThat(m.getContentType()).startsWith("text/html");
    assertThat(GreenMailUtil.getBody(m)).contains("<h1>Done</h1><p>42 rows</p>");
    assertThat(log(o))
        .contains(
            "sending 'Orders loaded for 2024-01-31' to 4 recipient(s) through smtp://127.0.0.1:"
                + smtp.getSmtp().getPort()
                + " (plain)")
        .contains("[updraft] sent")
        .doesNotContain("s3cret");
  }

  @Test
  void aRefusedLoginFailsNamingTheConnection() throws Exception {
    tries.conn(smtpConnection("mail", "etl", "wrong"));
    TryOutcome o =
        tries.run("email", Map.of("conn", "mail", "to", "ops@example.com", "subject", "x"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.OPERATOR);
    assertThat(o.error())
        .startsWith(
            "task 't' (connection 'mail'): the SMTP server smtp://127.0.0.1:"
                + smtp.getSmtp().getPort()
                + " (plain) refused the login of etl")
        .doesNotContain("wrong")
        .doesNotContain("\n");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void anUnreachableServerAndAMissingConnectionFailClearly() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    tries.conn(
        new Connection(
            "down",
            "smtp",
            "127.0.0.1",
            closed,
            null,
            null,
            null,
            Map.of("disable_ssl", "true", "disable_tls", "true", "timeout", 5)));
    TryOutcome down =
        tries.run("email", Map.of("conn", "down", "to", "a@example.com", "from", "me@example.com"));
    assertThat(down.error())
        .startsWith(
            "task 't' (connection 'down'): the SMTP server smtp://127.0.0.1:"
                + closed
                + " (plain) could not take the mail: ");
    TryOutcome missing = tries.run("email", Map.of("to", "a@example.com"));
    assertThat(missing.error())
        .startsWith(
            "task 't' (connection 'smtp_default'): connection 'smtp_default' is not defined");
  }

  @Test
  void aStartTlsConnectionRequiresStartTls() {
    // SSL off and TLS on (Airflow's default when disable_ssl is set): a server without STARTTLS
    // is refused rather than sent the password in the clear.
    tries.conn(
        new Connection(
            "tls",
            "smtp",
            "127.0.0.1",
            smtp.getSmtp().getPort(),
            "etl",
            "s3cret",
            null,
            Map.of("disable_ssl", true, "from_email", "u@example.com")));
    TryOutcome o = tries.run("email", Map.of("conn", "tls", "to", "a@example.com"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error()).contains("(STARTTLS)").contains("STARTTLS");
  }
}
