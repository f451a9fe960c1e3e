// The consumers the dispatcher runs by default, in order.
import { emailConsumer } from "./notifications-email.js";
import { notificationConsumer } from "./notifications.js";
import type { OutboxConsumer } from "./outbox.js";

export function defaultConsumers(): OutboxConsumer[] {
  return [notificationConsumer, emailConsumer()];
}
