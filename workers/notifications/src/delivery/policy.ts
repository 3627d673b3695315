import type { EventType, Preferences } from "@edge-shop/contracts";
import type { NotificationChannel } from "../db/schema";

/**
 * Transactional messages: they report money taken, refused or returned, or an order ended. They are
 * emailed even to a user who turned email off (the customer needs them, as a receipt or to act);
 * every other message (welcome, order placed, shipped, delivered) honours the opt-out.
 * SMS is opt-in for everything: sent only when `sms` is on and a phone is set.
 */
export const TRANSACTIONAL: ReadonlySet<EventType> = new Set<EventType>([
  "payment.succeeded",
  "payment.failed",
  "payment.refunded",
  "order.refunded",
  "order.cancelled",
]);

/** The channels an event reaches a user on, given their preferences. */
export function channelsFor(type: EventType, prefs: Preferences): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (prefs.email || TRANSACTIONAL.has(type)) channels.push("email");
  if (prefs.sms && prefs.phone) channels.push("sms");
  return channels;
}
