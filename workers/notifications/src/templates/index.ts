import type { EventEnvelope } from "@edge-shop/contracts";
import { welcome } from "./account";
import { orderCancelled, orderCreated, orderDelivered, orderRefunded, orderShipped } from "./orders";
import { paymentFailed, receipt } from "./payments";
import type { Recipient, Rendered } from "./types";

export type { Recipient, Rendered } from "./types";

/**
 * The message an event becomes, or null for events the customer is not told about:
 * `payment.refunded` is silent because `order.refunded` (emitted by orders for the same refund)
 * already tells them, and one refund should not be announced twice.
 */
export function render(event: EventEnvelope, to: Recipient): Rendered | null {
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
      return null;
  }
}
