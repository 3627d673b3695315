import type { EventEnvelope } from "@edge-shop/contracts";
import { log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import type { NewNotification } from "../db/queries/notifications";
import { getPreferences } from "../db/queries/preferences";
import type { Bindings } from "../env";
import { type Recipient, render } from "../templates";
import { channelsFor } from "./policy";

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

/** The notifications an event should produce, one per channel, rendered and addressed; [] when none. */
export async function planNotifications(
  env: Bindings,
  db: Db,
  event: EventEnvelope,
): Promise<NewNotification[]> {
  const userId = event.data.userId;
  const recipient = await recipientOf(env, event);
  if (!recipient) {
    log("warn", "notification skipped: unknown user", {
      service: "notifications",
      eventId: event.id,
      userId,
    });
    return [];
  }
  const message = render(event, recipient);
  const prefs = await getPreferences(db, userId);
  return channelsFor(event.type, prefs).map((channel) => ({
    userId,
    channel,
    recipient: channel === "email" ? recipient.email : (prefs.phone ?? ""),
    subject: message.subject,
    body: channel === "email" ? message.text : message.sms,
    html: channel === "email" ? message.html : null,
    eventId: event.id,
    eventType: event.type,
  }));
}
