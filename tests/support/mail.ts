// Mail in tests: a real SMTP server in-process (tools/mail-catcher), and helpers to read what it caught.
import { startMailCatcher, type CaughtMail, type MailCatcher } from "../../tools/mail-catcher.js";
import { dispatchOutbox, defaultConsumers } from "../../src/services/notifications/index.js";
import type { Deps } from "../../src/deps.js";

export type { CaughtMail, MailCatcher };
export { startMailCatcher };

/** Public URL test apps put in mail links. */
export const TEST_PUBLIC_URL = "https://watch.example.test";

export function mailsTo(catcher: MailCatcher, email: string): CaughtMail[] {
  return catcher.mails.filter((m) => m.to.includes(email.toLowerCase()));
}

/** Runs the outbox the way the worker does, so queued mail reaches the catcher. */
export async function deliverMail(deps: Deps) {
  return dispatchOutbox(deps, defaultConsumers());
}

/** The path and query of the first link in a mail's text that starts with `prefix` (e.g. "/reset-password"). */
export function linkIn(mail: CaughtMail, prefix: string): string {
  const match = new RegExp(`${TEST_PUBLIC_URL.replace(/\./g, "\\.")}(${prefix}[^\\s]*)`).exec(mail.text);
  if (!match) throw new Error(`no ${prefix} link in mail "${mail.subject}"`);
  return match[1]!;
}
