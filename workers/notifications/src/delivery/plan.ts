import type { EventEnvelope } from "@edge-shop/contracts";
import { log } from "@edge-shop/worker-kit";
import type { Draft } from "../db/queries/notifications";
import type { Bindings } from "../env";
import { type Recipient, render } from "../templates";

/** The registration event carries the new user's contact; every other event is looked up in users. */
async function recipientOf(env: Bindings, event: EventEnvelope): Promise<Recipient | null> {
  if (event.type === "user.registered") {
    const { email, firstName, lastName } = event.data;
    return { email, firstName, lastName };
  }
  // An RPC failure throws: the message is retried like any other transient failure.
  const contact = await env.USERS.contact(event.data.userId, event.correlationId);
  return contact && { email: contact.email, firstName: contact.firstName, lastName: contact.lastName };
}

/**
 * What an event should tell its user, rendered for every channel and addressed (the phone comes from the
 * preferences, read with the claim); null when the user is unknown. No D1 call: the preferences and the
 * delivery log are one batch (`claimChannels`).
 */
export async function draftOf(env: Bindings, event: EventEnvelope): Promise<Draft | null> {
  const userId = event.data.userId;
  const recipient = await recipientOf(env, event);
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
