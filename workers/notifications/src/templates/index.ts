import type { EventEnvelope } from "@edge-shop/contracts";
import { welcome } from "./account";
import { orderCancelled, orderCreated, orderDelivered, orderRefunded, orderShipped } from "./orders";
import { paymentFailed, receipt, refundIssued } from "./payments";
import type { Recipient, Rendered } from "./types";

export type { Recipient, Rendered } from "./types";

/**
 * The message an event becomes. A refund is told twice on purpose: `order.refunded` when the order is
 * cancelled (refund under way), `payment.refunded` when the provider has issued it.
 */
export function render(event: EventEnvelope, to: Recipient): Rendered {
  switch (event.type) {
    case "user.registered":
      return welcome(event.data, to);
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
