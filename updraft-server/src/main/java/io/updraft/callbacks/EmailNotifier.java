package io.updraft.callbacks;

import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Notifier;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;

/**
 * {@code {email: {to, subject, html_content}}}: a mail over SMTP (Jakarta Mail) through the {@code
 * smtp_default} connection, as Airflow's email alerts: host and port, login and password for auth,
 * {@code extra.from_email}, {@code extra.ssl} (SMTPS) and {@code extra.starttls}.
 */
final class EmailNotifier {
  static final String CONNECTION = "smtp_default";

  private final ConnectionLookup connections;
  private final Duration timeout;

  EmailNotifier(ConnectionLookup connections, Duration timeout) {
    this.connections = connections;
    this.timeout = timeout;
  }

  void send(Notifier.Email e, PrintWriter log) {
    Connection smtp;
    try {
      smtp = connections.get(CONNECTION);
    } catch (RuntimeException ex) {
      throw new NotifierFailure(
          "no SMTP connection: " + ex.getMessage() + " — add connection " + CONNECTION);
    }
    boolean ssl = flag(smtp, "ssl");
    String protocol = ssl ? "smtps" : "smtp";
    int port = smtp.port() != null ? smtp.port() : ssl ? 465 : 25;
    Properties props = new Properties();
    String p = "mail." + protocol + ".";
    props.put(p + "host", smtp.host() == null ? "localhost" : smtp.host());
    props.put(p + "port", String.valueOf(port));
    props.put(p + "connectiontimeout", String.valueOf(timeout.toMillis()));
    props.put(p + "timeout", String.valueOf(timeout.toMillis()));
    props.put(p + "writetimeout", String.valueOf(timeout.toMillis()));
    props.put(p + "starttls.enable", String.valueOf(flag(smtp, "starttls")));
    boolean auth = smtp.login() != null && !smtp.login().isEmpty();
    props.put(p + "auth", String.valueOf(auth));
    Session session = Session.getInstance(props);
    String from =
        smtp.extra().get("from_email") != null
            ? String.valueOf(smtp.extra().get("from_email"))
            : auth ? smtp.login() : "updraft@localhost";
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(from));
      for (String to : e.to()) {
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
      }
      m.setSubject(e.subject(), "UTF-8");
      m.setContent(e.htmlContent(), "text/html; charset=UTF-8");
      log.println("mail to " + String.join(", ", e.to()) + ": " + e.subject());
      try (Transport t = session.getTransport(protocol)) {
        t.connect(
            (String) props.get(p + "host"), port, auth ? smtp.login() : null, smtp.password());
        t.sendMessage(m, m.getAllRecipients());
      }
    } catch (MessagingException ex) {
      throw new NotifierFailure(
          "mail to "
              + String.join(", ", e.to())
              + " through "
              + smtp.host()
              + ":"
              + port
              + " failed: "
              + ex.getMessage(),
          ex);
    }
  }

  private static boolean flag(Connection c, String key) {
    Object v = c.extra().get(key);
    return v != null && Boolean.parseBoolean(String.valueOf(v));
  }
}
