package io.updraft.callbacks;

import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Notifier;
import io.updraft.worker.operators.MailSender;
import io.updraft.worker.operators.OperatorFailure;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * {@code {email: {to, subject, html_content}}}: a mail over SMTP through the {@code smtp_default}
 * connection, sent by the {@code email} operator's {@link MailSender}, so the connection is read
 * the same way (Airflow's SMTP provider: {@code extra.from_email}, {@code disable_ssl}, {@code
 * disable_tls}, {@code timeout}).
 */
final class EmailNotifier {
  static final String CONNECTION = "smtp_default";

  private final ConnectionLookup connections;

  EmailNotifier(ConnectionLookup connections, Duration timeout) {
    this.connections = connections;
  }

  void send(Notifier.Email e, PrintWriter log) throws InterruptedException {
    Connection smtp;
    try {
      smtp = connections.get(CONNECTION);
    } catch (RuntimeException ex) {
      throw new NotifierFailure(
          "no SMTP connection: " + ex.getMessage() + " — add connection " + CONNECTION);
    }
    log.println(
        "mail to "
            + String.join(", ", e.to())
            + ": "
            + e.subject()
            + " through "
            + MailSender.describe(smtp));
    try {
      MailSender.shared()
          .send(
              smtp,
              new MailSender.Mail(null, e.to(), null, null, e.subject(), e.htmlContent()),
              abort -> {});
    } catch (OperatorFailure ex) {
      throw new NotifierFailure(
          "mail to " + String.join(", ", e.to()) + ": " + ex.getMessage(), ex);
    }
  }
}
