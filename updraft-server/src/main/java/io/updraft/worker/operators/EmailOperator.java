package io.updraft.worker.operators;

import io.updraft.connections.Connection;

/**
 * {@code email} (SPEC §1.3): sends one mail over SMTP through the connection {@code conn} (default
 * {@code smtp_default}). Returns nothing.
 */
final class EmailOperator implements InJvmOperator {

  /** Airflow's default SMTP connection id. */
  static final String DEFAULT_CONN = "smtp_default";

  private final MailSender sender;

  EmailOperator(MailSender sender) {
    this.sender = sender;
  }

  @Override
  public Object execute(OperatorContext ctx) throws InterruptedException {
    String connId = new Args(null, ctx.args()).text("conn", DEFAULT_CONN);
    Args args = new Args(connId, ctx.args());
    if (args.strings("to").isEmpty()) {
      throw args.fail("set to: (an address or a list of them)");
    }
    Connection smtp = ctx.connection(connId);
    MailSender.Mail mail =
        new MailSender.Mail(
            args.text("from", null),
            args.strings("to"),
            args.strings("cc"),
            args.strings("bcc"),
            args.text("subject", ""),
            args.text("html_content", ""));
    ctx.note(
        "sending '"
            + OperatorFailure.oneLine(mail.subject())
            + "' to "
            + (mail.to().size() + mail.cc().size() + mail.bcc().size())
            + " recipient(s) through "
            + MailSender.describe(smtp));
    sender.send(smtp, mail, ctx::onAbort);
    ctx.note("sent");
    return null;
  }
}
