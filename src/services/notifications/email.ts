// Email for outbox events behind a pluggable transport; the default transport only logs.
import type { Deps } from "../../deps.js";
import type { Logger } from "../../lib/logger.js";
import { NOTIFIABLE_EVENTS } from "./inbox.js";
import type { OutboxConsumer } from "./outbox.js";

export interface EmailMessage {
  to: string;
  template: string;
  params: Record<string, unknown>;
  /** Transports that support it pass this to the provider so a redelivery is not sent twice. */
  idempotencyKey: string;
}

export interface EmailTransport {
  send(message: EmailMessage): Promise<void>;
}

/** Writes the email to the log instead of sending it (development, tests, and until SMTP is set up). */
export function logEmailTransport(logger: Logger): EmailTransport {
  return {
    async send(message) {
      logger.info({ email: { to: message.to, template: message.template, idempotencyKey: message.idempotencyKey } }, "email (logged, not sent)");
    },
  };
}

export function emailConsumer(transport: (deps: Deps) => EmailTransport = (deps) => logEmailTransport(deps.logger)): OutboxConsumer {
  return {
    name: "email",
    handles: (type) => NOTIFIABLE_EVENTS.includes(type),
    async handle(deps, event) {
      const userId = String((event.payload as { userId?: unknown }).userId ?? "");
      const user = userId ? await deps.models.User.findById(userId, { email: 1, status: 1 }).lean() : null;
      if (!user || user.status === "deleted") return;
      await transport(deps).send({ to: user.email, template: event.type, params: event.payload, idempotencyKey: event.id });
    },
  };
}
