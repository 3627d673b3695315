import type { EventEnvelope } from "@edge-shop/contracts";
import { log } from "@edge-shop/worker-kit";
import type { Draft } from "../db/queries/notifications";
import { type Recipient, render } from "../templates";

/** Who each event is for, by user id; `failed` when users could not be asked (those events are retried). */
export interface Recipients {
  byUserId: Map<string, Recipient>;
  failed: unknown;
}

/**
 * The recipients of a batch of events. A registration carries the new user's contact; every other event is
 * looked up in users, all of them in ONE RPC (one D1 read there), whatever the batch size.
 */
export async function recipientsOf(env: Env, events: EventEnvelope[]): Promise<Recipients> {
  const byUserId = new Map<string, Recipient>();
  const lookup = new Set<string>();
  const correlationIds = new Set<string>();
  for (const event of events) {
    if (event.type === "user.registered") {
      const { userId, email, firstName, lastName } = event.data;
      byUserId.set(userId, { email, firstName, lastName });
    } else {
      lookup.add(event.data.userId);
      correlationIds.add(event.correlationId);
    }
  }
  for (const userId of byUserId.keys()) lookup.delete(userId);
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
 * preferences, read with the claim); null when the user is unknown.
 */
export function draftOf(event: EventEnvelope, recipient: Recipient | undefined): Draft | null {
  const userId = event.data.userId;
  if (!recipient) {
    log("warn", "notification skipped: unknown user", {
      service: "notifications",
      eventId: event.id,
      userId,
    });
    return null;
  }
  const message = render(event, recipient);
  return {
    userId,
    eventId: event.id,
    eventType: event.type,
    email: recipient.email,
    subject: message.subject,
    text: message.text,
    html: message.html,
    sms: message.sms,
  };
}
