import type { EventEnvelope } from "@edge-shop/contracts";
import { recordNotification } from "@edge-shop/worker-kit";
import { emailSender } from "../channels/email";
import { smsSender } from "../channels/sms";
import { ProviderError, type Sender } from "../channels/types";
import type { Db } from "../db/client";
import {
  claimChannels,
  markAttemptFailed,
  markSent,
  type NotificationRow,
} from "../db/queries/notifications";
import type { NotificationChannel } from "../db/schema";
import type { Bindings } from "../env";
import { draftOf } from "./plan";

export interface DeliveryOutcome {
  sent: number;
  /** Refused for good by the provider (marked `failed`, not retried). */
  failed: number;
  skipped: number;
  /** Why the message must be delivered again (a retryable failure, or a row another delivery holds). */
  retryReason: string | undefined;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

type SendResult = { kind: "sent" } | { kind: "failed" } | { kind: "retry"; error: string };

async function sendRow(sender: Sender, db: Db, row: NotificationRow): Promise<SendResult> {
  try {
    await sender.send({
      channel: row.channel,
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      html: row.html,
    });
  } catch (error) {
    const retryable = !(error instanceof ProviderError) || error.retryable;
    await markAttemptFailed(db, row.id, errorText(error), !retryable);
    return retryable ? { kind: "retry", error: errorText(error) } : { kind: "failed" };
  }
  await markSent(db, row.id);
  return { kind: "sent" };
}

/**
 * Sends what an event should produce, each (event, channel) at most once: a row already `sent` is
 * skipped, so a redelivered event never sends twice and a retry re-sends only the channels that failed.
 * `fresh` (first delivery of a message) lets a `failed` row be tried again, as when the DLQ is replayed.
 */
export async function deliverEvent(
  env: Bindings,
  db: Db,
  event: EventEnvelope,
  options: { fresh: boolean },
): Promise<DeliveryOutcome> {
  const senders: Record<NotificationChannel, () => Sender> = {
    email: () => emailSender(env),
    sms: () => smsSender(env),
  };
  const outcome: DeliveryOutcome = { sent: 0, failed: 0, skipped: 0, retryReason: undefined };
  const draft = await draftOf(env, event);
  if (!draft) return outcome;
  for (const { channel, claim } of await claimChannels(db, draft, { revive: options.fresh })) {
    if (claim.kind === "done") {
      outcome.skipped++;
      continue;
    }
    if (claim.kind === "busy") {
      outcome.retryReason ??= `${channel}: another delivery holds this notification`;
      continue;
    }
    const result = await sendRow(senders[channel](), db, claim.row);
    if (result.kind === "sent") outcome.sent++;
    else if (result.kind === "failed") outcome.failed++;
    else outcome.retryReason ??= result.error;
    if (result.kind !== "retry") recordNotification(channel, result.kind, event.type);
  }
  return outcome;
}
