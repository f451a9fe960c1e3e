// The consumers the dispatcher runs by default, in order.
import { emailConsumer } from "./email.js";
import { notificationConsumer } from "./inbox.js";
import type { OutboxConsumer } from "./outbox.js";

export function defaultConsumers(): OutboxConsumer[] {
  return [notificationConsumer, emailConsumer()];
}
