package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Sends one mail over SMTP with Jakarta Mail (Eclipse Angus), from an SMTP connection laid out as
 * Airflow's SMTP provider reads it: {@code host}, {@code port}, {@code login}, {@code password},
 * and in {@code extra}: {@code from_email}, {@code disable_ssl} (false: the connection is SSL from
 * the start, port 465), {@code disable_tls} (false: STARTTLS is required when SSL is off), {@code
 * timeout} (seconds, 30). Used by the {@code email} operator and by email notifiers; it knows
 * nothing about tries.
 */
public final class MailSender {

  private static final MailSender SHARED = new MailSender();

  /**
   * A mail to send.
   *
   * @param from the sender; null: the connection's {@code from_email}, else its login
   * @param html the body, sent as {@code text/html; charset=UTF-8}
   */
  public record Mail(
      String from,
      List<String> to,
      List<String> cc,
      List<String> bcc,
      String subject,
      String html) {
    public Mail {
      to = List.copyOf(to);
      cc = cc == null ? List.of() : List.copyOf(cc);
      bcc = bcc == null ? List.of() : List.copyOf(bcc);
      subject = subject == null ? "" : subject;
      html = html == null ? "" : html;
    }
  }

  private MailSender() {}

  public static MailSender shared() {
    return SHARED;
  }

  /** Where a mail goes, for a log line: {@code smtp://host:port (STARTTLS)}. */
  public static String describe(Connection smtp) {
    Settings s = Settings.of(smtp);
    return (s.ssl ? "smtps://" : "smtp://")
        + smtp.host()
        + ":"
        + s.port
        + (s.ssl ? "" : s.starttls ? " (STARTTLS)" : " (plain)");
  }

  /**
   * Sends the mail.
   *
   * @param onAbort receives an action that closes the SMTP connection from another thread
   * @throws OperatorFailure naming the connection when the server cannot be reached or refuses
   * @throws InterruptedException when the calling thread was interrupted while sending
   */
  public void send(Connection smtp, Mail mail, Consumer<Runnable> onAbort)
      throws InterruptedException {
    if (smtp.host() == null || smtp.host().isBlank()) {
      throw new OperatorFailure(smtp.connId(), "the SMTP connection has no host — set its host");
    }
    if (mail.to().isEmpty()) {
      throw new OperatorFailure(smtp.connId(), "the mail has no recipient — set to:");
    }
    Settings s = Settings.of(smtp);
    String protocol = s.ssl ? "smtps" : "smtp";
    Properties props = new Properties();
    String p = "mail." + protocol + ".";
    props.put(p + "host", smtp.host());
    props.put(p + "port", String.valueOf(s.port));
    props.put(p + "auth", String.valueOf(smtp.login() != null && !smtp.login().isEmpty()));
    props.put(p + "connectiontimeout", String.valueOf(s.timeoutMillis));
    props.put(p + "timeout", String.valueOf(s.timeoutMillis));
    props.put(p + "writetimeout", String.valueOf(s.timeoutMillis));
    props.put(p + "ssl.checkserveridentity", "true");
    if (!s.ssl && s.starttls) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    try {
      String from = mail.from() != null ? mail.from() : s.from;
      if (from == null || from.isBlank()) {
        throw new OperatorFailure(
            smtp.connId(),
            "no sender: set from:, or from_email in the connection's extra, or its login");
      }
      message.setFrom(address(smtp, from));
      message.setRecipients(Message.RecipientType.TO, addresses(smtp, mail.to()));
      message.setRecipients(Message.RecipientType.CC, addresses(smtp, mail.cc()));
      message.setRecipients(Message.RecipientType.BCC, addresses(smtp, mail.bcc()));
      message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
      message.setContent(mail.html(), "text/html; charset=UTF-8");
      message.setSentDate(new Date());
      message.saveChanges();
    } catch (MessagingException e) {
      throw new OperatorFailure(smtp.connId(), "cannot build the mail: " + e.getMessage());
    }
    Transport transport;
    try {
      transport = session.getTransport(protocol);
    } catch (MessagingException e) {
      throw new OperatorFailure(smtp.connId(), "no " + protocol + " transport: " + e.getMessage());
    }
    onAbort.accept(
        () -> {
          try {
            transport.close();
          } catch (MessagingException e) {
            // closing is all we can do
          }
        });
    try {
      transport.connect(smtp.host(), s.port, smtp.login(), smtp.password());
      transport.sendMessage(message, message.getAllRecipients());
    } catch (AuthenticationFailedException e) {
      throw refused(smtp, "refused the login of " + smtp.login(), e);
    } catch (SendFailedException e) {
      throw refused(smtp, "refused the mail", e);
    } catch (MessagingException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("sending was cancelled");
      }
      throw refused(smtp, "could not take the mail", e);
    } finally {
      try {
        transport.close();
      } catch (MessagingException e) {
        // the mail is sent or has failed already
      }
    }
  }

  private static OperatorFailure refused(Connection smtp, String what, MessagingException e) {
    return new OperatorFailure(
        smtp.connId(),
        "the SMTP server " + describe(smtp) + " " + what + ": " + OperatorFailure.causeOf(e),
        e);
  }

  private static InternetAddress address(Connection smtp, String text) {
    try {
      return new InternetAddress(text.strip(), true);
    } catch (AddressException e) {
      throw new OperatorFailure(
          smtp.connId(), "'" + text + "' is not a mail address: " + e.getMessage());
    }
  }

  private static Address[] addresses(Connection smtp, List<String> texts) {
    List<Address> out = new ArrayList<>();
    for (String t : texts) {
      out.add(address(smtp, t));
    }
    return out.toArray(Address[]::new);
  }

  /** The connection's SMTP settings with Airflow's defaults. */
  private record Settings(
      boolean ssl, boolean starttls, int port, long timeoutMillis, String from) {
    static Settings of(Connection c) {
      Map<String, Object> extra = c.extra();
      boolean ssl = !flag(extra.get("disable_ssl"));
      boolean starttls = !ssl && !flag(extra.get("disable_tls"));
      int port = c.port() != null ? c.port() : ssl ? 465 : starttls ? 587 : 25;
      long timeout = 30_000;
      Object t = extra.get("timeout");
      if (t != null) {
        try {
          timeout = Math.round(Double.parseDouble(String.valueOf(t)) * 1000);
        } catch (NumberFormatException e) {
          throw new OperatorFailure(
              c.connId(), "extra timeout must be a number of seconds, not '" + t + "'");
        }
      }
      Object from = extra.get("from_email");
      return new Settings(
          ssl, starttls, port, timeout, from != null ? String.valueOf(from) : c.login());
    }

    private static boolean flag(Object v) {
      return v instanceof Boolean b ? b : v != null && String.valueOf(v).equalsIgnoreCase("true");
    }
  }
}
