import { recordNotification, withContext } from "@edge-shop/worker-kit";
import { emailSender } from "../channels/email";
import { smsSender } from "../channels/sms";
import { ProviderError, type Sender } from "../channels/types";
import type { Db } from "../db/client";
import {
  type ChannelClaim,
  type ClaimRequest,
  claimChannels,
  type Draft,
  markAttemptFailed,
  markSent,
} from "../db/queries/notifications";
import type { NotificationChannel } from "../db/schema";
import type { MessageEvent } from "../templates";
import { draftOf, ownRecipient, recipientsOf } from "./plan";

export interface DeliveryOutcome {
  sent: number;
  /** Refused for good by the provider (marked `failed`, not retried). */
  failed: number;
  skipped: number;
  /** Why the message must be delivered again (a retryable failure, or a row another delivery holds). */
  retryReason: string | undefined;
}

/** An event's outcome, or the error that must send its message(s) round again. */
export type DeliveryResult = { ok: true; outcome: DeliveryOutcome } | { ok: false; error: unknown };

/** An event to deliver; `fresh` (first delivery of its message) lets a `failed` row be tried again. */
export interface Delivery {
  event: MessageEvent;
  fresh: boolean;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

const emptyOutcome = (): DeliveryOutcome => ({ sent: 0, failed: 0, skipped: 0, retryReason: undefined });

/**
 * Sends one claimed row: the message as rendered now (the row may hold a masked copy), to the row's recipient. A
 * refusal is recorded on the row at once, a success is marked by the caller.
 */
async function sendClaimed(
  sender: Sender,
  db: Db,
  claim: Extract<ChannelClaim["claim"], { kind: "claimed" }>,
  draft: Draft,
) {
  const { row } = claim;
  try {
    await sender.send({
      channel: row.channel,
      to: row.recipient,
      subject: draft.subject,
      text: row.channel === "email" ? draft.text : draft.sms,
      html: row.channel === "email" ? draft.html : null,
    });
    return { kind: "sent" } as const;
  } catch (error) {
    const retryable = !(error instanceof ProviderError) || error.retryable;
    await markAttemptFailed(db, row.id, errorText(error), !retryable);
    return retryable ? ({ kind: "retry", error: errorText(error) } as const) : ({ kind: "failed" } as const);
  }
}

type Request = ClaimRequest & { event: MessageEvent };

/** The claim requests of the events whose recipient is known; the others' results go straight into `results`. */
async function requestsOf(
  env: Env,
  deliveries: Delivery[],
  results: Map<string, DeliveryResult>,
): Promise<Request[]> {
  const recipients = await recipientsOf(
    env,
    deliveries.map((d) => d.event),
  );
  const requests: Request[] = [];
  for (const { event, fresh } of deliveries) {
    const recipient = ownRecipient(event) ?? recipients.byUserId.get(event.data.userId);
    if (!recipient && recipients.failed !== undefined) {
      results.set(event.id, { ok: false, error: recipients.failed });
      continue;
    }
    const draft = draftOf(env, event, recipient);
    if (draft) requests.push({ draft, revive: fresh, event });
    else results.set(event.id, { ok: true, outcome: emptyOutcome() });
  }
  return requests;
}

/** Sends an event's claimed rows; answers its outcome (`sent` not yet counted) and the rows it sent. */
async function sendEvent(env: Env, db: Db, { event, draft }: Request, claims: ChannelClaim[]) {
  const outcome = emptyOutcome();
  const sent: { id: string; channel: NotificationChannel }[] = [];
  for (const { channel, claim } of claims) {
    if (claim.kind === "done") {
      outcome.skipped++;
      continue;
    }
    if (claim.kind === "busy") {
      outcome.retryReason ??= `${channel}: another delivery holds this notification`;
      continue;
    }
    const sender = channel === "email" ? emailSender(env) : smsSender(env);
    const context = { correlationId: event.correlationId, eventId: event.id };
    const result = await withContext(context, () => sendClaimed(sender, db, claim, draft));
    if (result.kind === "sent") sent.push({ id: claim.row.id, channel });
    else if (result.kind === "failed") {
      outcome.failed++;
      recordNotification(channel, "failed", event.type);
    } else outcome.retryReason ??= result.error;
  }
  return { outcome, sent };
}

/**
 * Sends what a batch of events should produce, each (event, channel) at most once: a row already `sent` is
 * skipped, so a redelivered event never sends twice and a retry re-sends only the channels that failed.
 * The D1 and RPC work is per batch, not per event: one RPC for the recipients, one D1 batch to record and
 * claim every row, one write to mark what was sent (a failure of one of them retries the events it served).
 * Each event at most once in `deliveries`. Answers a result per event id.
 */
export async function deliverEvents(
  env: Env,
  db: Db,
  deliveries: Delivery[],
): Promise<Map<string, DeliveryResult>> {
  const results = new Map<string, DeliveryResult>();
  const requests = await requestsOf(env, deliveries, results);
  let claims: ChannelClaim[][];
  try {
    claims = await claimChannels(db, requests);
  } catch (error) {
    for (const { event } of requests) results.set(event.id, { ok: false, error });
    return results;
  }
  const sends = [];
  for (const [i, request] of requests.entries()) {
    sends.push({ event: request.event, ...(await sendEvent(env, db, request, claims[i] ?? [])) });
  }
  let markFailed: { error: unknown } | undefined;
  try {
    await markSent(
      db,
      sends.flatMap((s) => s.sent.map((row) => row.id)),
    );
  } catch (error) {
    markFailed = { error };
  }
  for (const { event, outcome, sent } of sends) {
    // Sent but not marked: the event is retried; its rows, still locked, are then taken again after the lease.
    if (markFailed && sent.length > 0) {
      results.set(event.id, { ok: false, error: markFailed.error });
      continue;
    }
    outcome.sent = sent.length;
    for (const { channel } of sent) recordNotification(channel, "sent", event.type);
    results.set(event.id, { ok: true, outcome });
  }
  return results;
}
