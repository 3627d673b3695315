import type { EventEnvelope } from "@edge-shop/contracts";
import { log } from "@edge-shop/worker-kit";
import type { Draft } from "../db/queries/notifications";
import { type MessageEvent, masked, type Recipient, render } from "../templates";

/** Who each event is for, by user id; `failed` when users could not be asked (those events are retried). */
export interface Recipients {
  byUserId: Map<string, Recipient>;
  failed: unknown;
}

/**
 * The address an event carries itself: a registration (the new account), and the account emails, whose address
 * may not be the account's yet (a new email to confirm) or any longer (the notice to the old one).
 */
export function ownRecipient(event: MessageEvent): Recipient | undefined {
  switch (event.type) {
    case "user.registered":
      return { email: event.data.email, firstName: event.data.firstName, lastName: event.data.lastName };
    case "user.verification_requested":
    case "user.password_reset_requested":
    case "user.email_change_requested":
    case "user.email_changed":
      return { email: event.data.email, firstName: event.data.firstName, lastName: "" };
    default:
      return undefined;
  }
}

/**
 * The recipients of a batch of events that do not carry their own address, looked up in users, all of them in
 * ONE RPC (one D1 read there), whatever the batch size.
 */
export async function recipientsOf(env: Env, events: MessageEvent[]): Promise<Recipients> {
  const byUserId = new Map<string, Recipient>();
  const lookup = new Set<string>();
  const correlationIds = new Set<string>();
  for (const event of events) {
    if (ownRecipient(event)) continue;
    lookup.add(event.data.userId);
    correlationIds.add(event.correlationId);
  }
  if (lookup.size === 0) return { byUserId, failed: undefined };
  try {
    // The call's log line names the correlation id when the batch has one (events of several requests: none).
    const [correlationId] = correlationIds.size === 1 ? correlationIds : [];
    for (const { userId, email, firstName, lastName } of await env.USERS.contacts(
      [...lookup],
      correlationId,
    )) {
      byUserId.set(userId, { email, firstName, lastName });
    }
    return { byUserId, failed: undefined };
  } catch (error) {
    return { byUserId, failed: error };
  }
}

/**
 * What an event should tell its user, rendered for every channel and addressed (the phone comes from the
 * preferences, read with the claim); null when the user is unknown. With a real provider (any but `log`), the
 * delivery log keeps the message with its one-time tokens masked: a stolen access token that can read the
 * notifications must not be a way to reset the password. Under `log` (local development) the log is the mailbox
 * and keeps the message whole.
 */
export function draftOf(
  env: Pick<Env, "SHOP_ORIGIN" | "EMAIL_PROVIDER" | "SMS_PROVIDER">,
  event: MessageEvent,
  recipient: Recipient | undefined,
): Draft | null {
  const userId = event.data.userId;
  if (!recipient) {
    log("warn", "notification skipped: unknown user", {
      service: "notifications",
      eventId: event.id,
      userId,
    });
    return null;
  }
  const message = render(event, recipient, { origin: env.SHOP_ORIGIN });
  const secrets = (provider: string) => (provider === "log" ? undefined : message.secrets);
  return {
    userId,
    eventId: event.id,
    eventType: event.type,
    email: recipient.email,
    subject: message.subject,
    text: message.text,
    html: message.html,
    sms: message.sms,
    stored: {
      text: masked(message.text, secrets(env.EMAIL_PROVIDER)),
      html: masked(message.html, secrets(env.EMAIL_PROVIDER)),
      sms: masked(message.sms, secrets(env.SMS_PROVIDER)),
    },
  };
}

/** Whether an event is a message to send (every event but `user.deleted`). */
export function isMessage(event: EventEnvelope): event is MessageEvent {
  return event.type !== "user.deleted";
}
