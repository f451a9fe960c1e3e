// Where mail goes: an SMTP server (nodemailer) when SMTP_URL is set, otherwise the log.
import nodemailer from "nodemailer";
import type { Config } from "../../config.js";
import type { Logger } from "../../lib/logger.js";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Deterministic per outbox event, so a receiving system can spot a duplicate. */
  messageId: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** Writes the mail to the log instead of sending it (development without SMTP_URL). */
export function logMailTransport(logger: Logger): MailTransport {
  return {
    async send(mail) {
      logger.info({ email: { to: mail.to, subject: mail.subject, messageId: mail.messageId }, text: mail.text }, "email (logged, not sent)");
    },
  };
}

/** One connection per mail: the worker sends few, and nothing is left open between dispatches. */
export function smtpMailTransport(smtpUrl: string): MailTransport {
  return {
    async send(mail) {
      const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
      try {
        await transporter.sendMail(mail);
      } finally {
        transporter.close();
      }
    },
  };
}

export function mailTransportFor(config: Pick<Config, "mail">, logger: Logger): MailTransport {
  return config.mail.smtpUrl ? smtpMailTransport(config.mail.smtpUrl) : logMailTransport(logger);
}

/**
 * A 5xx answer (no such mailbox, address refused) will not change on a retry; anything else
 * (connection refused, timeouts, 4xx "try later") is worth retrying with backoff.
 */
export function isPermanentMailFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}
