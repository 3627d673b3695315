import type { EventEnvelope } from "@edge-shop/contracts";
import { emailChanged, emailChangeRequested, passwordReset, verificationRequested, welcome } from "./account";
import { orderCancelled, orderCreated, orderDelivered, orderRefunded, orderShipped } from "./orders";
import { paymentFailed, receipt, refundIssued } from "./payments";
import type { Recipient, RenderContext, Rendered } from "./types";

export type { Recipient, RenderContext, Rendered } from "./types";

/** The events that become a message: every event but `user.deleted`, which erases instead. */
export type MessageEvent = Exclude<EventEnvelope, { type: "user.deleted" }>;

/**
 * The message an event becomes. A refund is told twice on purpose: `order.refunded` when the order is
 * cancelled (refund under way), `payment.refunded` when the provider has issued it.
 */
export function render(event: MessageEvent, to: Recipient, ctx: RenderContext): Rendered {
  switch (event.type) {
    case "user.registered":
      return welcome(event.data, to, ctx);
    case "user.verification_requested":
      return verificationRequested(event.data, to, ctx);
    case "user.password_reset_requested":
      return passwordReset(event.data, to, ctx);
    case "user.email_change_requested":
      return emailChangeRequested(event.data, to, ctx);
    case "user.email_changed":
      return emailChanged(event.data, to);
    case "order.created":
      return orderCreated(event.data, to);
    case "order.cancelled":
      return orderCancelled(event.data, to);
    case "order.refunded":
      return orderRefunded(event.data, to);
    case "order.shipped":
      return orderShipped(event.data, to);
    case "order.delivered":
      return orderDelivered(event.data, to);
    case "payment.succeeded":
      return receipt(event.data, to);
    case "payment.failed":
      return paymentFailed(event.data, to);
    case "payment.refunded":
      return refundIssued(event.data, to);
  }
}

/** The stored copy of a text: each secret replaced, so the delivery log cannot be used as the link. */
export function masked(text: string, secrets: string[] | undefined): string {
  let out = text;
  for (const secret of secrets ?? []) out = out.replaceAll(secret, "[masked]");
  return out;
}
