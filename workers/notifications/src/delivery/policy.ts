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

/**
 * Account messages: a link to verify an address, reset a password or confirm a new email, and the notice that
 * the email changed. They go by email whatever the preferences (the person asked for them, or must know), and
 * never by SMS: a one-time link does not belong in a text message or its log.
 */
export const ACCOUNT: ReadonlySet<EventType> = new Set<EventType>([
  "user.verification_requested",
  "user.password_reset_requested",
  "user.email_change_requested",
  "user.email_changed",
]);

/** The channels an event reaches a user on, given their preferences. */
export function channelsFor(type: EventType, prefs: Preferences): NotificationChannel[] {
  if (ACCOUNT.has(type)) return ["email"];
  const channels: NotificationChannel[] = [];
  if (prefs.email || TRANSACTIONAL.has(type)) channels.push("email");
  if (prefs.sms && prefs.phone) channels.push("sms");
  return channels;
}
