// The email consumer: one mail per outbox event id, whatever the number of deliveries. Transient
// SMTP failures throw (the outbox retries with backoff); a refused address is recorded, not retried.
import type { Deps } from "../../deps.js";
import { op } from "../../lib/db.js";
import { isLocale } from "../../lib/i18n.js";
import { mailContent, MAIL_EVENT_TYPES } from "./mail-content.js";
import { renderMail } from "./mail-render.js";
import { isPermanentMailFailure, mailTransportFor, type MailTransport } from "./mail-transport.js";
import type { OutboxConsumer } from "./outbox.js";

export * from "./mail-transport.js";

const domainOf = (from: string) => /@([^>\s]+)>?$/.exec(from)?.[1] ?? "localhost";

export function emailConsumer(transport: (deps: Deps) => MailTransport = (deps) => mailTransportFor(deps.config, deps.logger)): OutboxConsumer {
  return {
    name: "email",
    handles: (type) => MAIL_EVENT_TYPES.includes(type),
    async handle(deps, event) {
      const { SentMail, User, Outbox } = deps.models;
      if (await SentMail.exists({ _id: event.id })) return;
      const userId = String((event.payload as { userId?: unknown }).userId ?? "");
      const user = userId ? await User.findById(userId, { email: 1, status: 1, displayName: 1, locale: 1 }).lean() : null;
      if (!user || user.status === "deleted") return;
      const locale = isLocale(user.locale) ? user.locale : "en";
      const content = mailContent(event.type, event.payload, { displayName: user.displayName, locale }, deps.config.mail.baseUrl);
      if (!content) return;
      const messageId = `<${event.id.replace(/[^\w.-]/g, "-")}@${domainOf(deps.config.mail.from)}>`;
      // Most mail goes to the account's address; an address change mails the new and the old one.
      const payloadTo = (event.payload as { to?: unknown }).to;
      const to = typeof payloadTo === "string" && payloadTo ? payloadTo : user.email;
      const record = { _id: event.id, template: event.type, userId: user._id, to, messageId };
      try {
        await transport(deps).send({ from: deps.config.mail.from, to, messageId, ...renderMail(content, locale) });
      } catch (err) {
        if (!isPermanentMailFailure(err)) throw err;
        const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        await saveRecord(deps, { ...record, status: "rejected", error });
        deps.logger.warn({ eventId: event.id, template: event.type, err: error }, "mail address refused; not retried");
        return;
      }
      await saveRecord(deps, { ...record, status: "sent" });
      // A link's secret stays in the outbox only until its mail is out; the database keeps its hash.
      if ("token" in event.payload) await Outbox.updateOne({ _id: event.id }, { $unset: { "payload.token": 1 } });
    },
  };
}

async function saveRecord(deps: Pick<Deps, "models">, record: Record<string, unknown>): Promise<void> {
  try {
    await deps.models.SentMail.create(record);
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

/** Forgets sent-mail records older than `before` (their outbox events are purged with them). */
export async function purgeSentMail(deps: Pick<Deps, "models">, before: Date): Promise<number> {
  const res = await deps.models.SentMail.deleteMany({ createdAt: op({ $lt: before }) });
  return res.deletedCount;
}
