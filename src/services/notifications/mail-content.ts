// What each mail says, in the recipient's language: subject, lines and at most one action link.
import { formatDate } from "../../lib/format-date.js";
import { formatNumber, translator, type Locale, type Translate } from "../../lib/i18n.js";

export interface MailContent {
  subject: string;
  greeting: string;
  lines: string[];
  action?: { label: string; url: string };
  footer: string;
}

type Payload = Record<string, unknown>;
interface MailSpec {
  key: string;
  vars?: (p: Payload, locale: Locale, t: Translate) => Record<string, string>;
  link?: (p: Payload) => string;
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const money = (l: Locale, p: Payload) => `${formatNumber(l, Number(p.amount ?? 0))} ${str(p.currency)}`;
const tokenLink = (path: string) => (p: Payload) => `${path}?token=${encodeURIComponent(str(p.token))}`;

// Keyed by outbox event type; an event type without an entry sends no mail.
const MAILS: Readonly<Record<string, MailSpec>> = Object.freeze({
  "user.registered": { key: "welcome", link: () => "/plans" },
  "email.verify": { key: "verifyEmail", link: tokenLink("/verify-email") },
  "password.reset": { key: "passwordReset", link: tokenLink("/reset-password") },
  "password.changed": { key: "passwordChanged", link: () => "/forgot-password" },
  "payment.approved": {
    key: "paymentApproved",
    vars: (p, l, t) => ({ plan: t(`plans.names.${str(p.plan)}`), until: formatDate(l, p.periodEnd as string) }),
    link: () => "/browse",
  },
  "payment.rejected": { key: "paymentRejected", vars: (p) => ({ reference: str(p.reference), reason: str(p.reason) }), link: () => "/plans" },
  "subscription.expiring": { key: "expiring", vars: (p, l) => ({ until: formatDate(l, p.periodEnd as string) }), link: () => "/checkout" },
  "subscription.expired": { key: "expired", link: () => "/plans" },
  "payment.received": {
    key: "paymentReceived",
    vars: (p, l, t) => ({
      plan: t(`plans.names.${str(p.plan)}`),
      amount: money(l, p),
      reference: str(p.reference),
      bank: str(p.bankName),
      account: str(p.accountNumber),
      accountName: str(p.accountName),
    }),
    link: () => "/account/billing",
  },
  "payment.receipt": {
    key: "receipt",
    vars: (p, l, t) => ({
      plan: t(`plans.names.${str(p.plan)}`),
      amount: money(l, p),
      reference: str(p.reference),
      paidOn: formatDate(l, p.approvedAt as string),
      until: formatDate(l, p.periodEnd as string),
    }),
    link: (p) => `/account/billing/receipts/${encodeURIComponent(str(p.paymentId))}`,
  },
  "email.change-confirm": { key: "emailChangeConfirm", vars: (p) => ({ newEmail: str(p.to) }), link: tokenLink("/email-change/confirm") },
  "email.change-notice": { key: "emailChangeNotice", vars: (p) => ({ newEmail: str(p.newEmail) }), link: () => "/forgot-password" },
  "title.released.mail": { key: "released", vars: (p) => ({ title: str(p.title) }), link: (p) => `/title/${encodeURIComponent(str(p.slug))}` },
  "signin.new-device": {
    key: "newDevice",
    vars: (p, l, t) => ({
      when: formatDate(l, p.at as string, true),
      browser: str(p.browser) || t("mail.unknown"),
      os: str(p.os) || t("mail.unknown"),
      ip: str(p.ip) || t("mail.unknown"),
    }),
    link: () => "/account#devices",
  },
});

export const MAIL_EVENT_TYPES: readonly string[] = Object.freeze(Object.keys(MAILS));

export function mailContent(type: string, payload: Payload, user: { displayName: string; locale: Locale }, baseUrl: string): MailContent | null {
  const spec = MAILS[type];
  if (!spec) return null;
  const t = translator(user.locale);
  const vars = { name: user.displayName, ...spec.vars?.(payload, user.locale, t) };
  const k = `mail.${spec.key}`;
  return {
    subject: t(`${k}.subject`, vars),
    greeting: t("mail.greeting", vars),
    lines: t(`${k}.body`, vars).split("\n"),
    action: spec.link ? { label: t(`${k}.action`, vars), url: baseUrl + spec.link(payload) } : undefined,
    footer: t("mail.footer"),
  };
}
