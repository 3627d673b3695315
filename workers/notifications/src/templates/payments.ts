import type { EventDataOf } from "@edge-shop/contracts";
import { escapeHtml, formatMoney, layout, orderRef } from "./format";
import { itemsHtml, itemsText } from "./items";
import type { Recipient, Rendered } from "./types";

/** payment.succeeded: the receipt, with every line item and the total paid. */
export function receipt(data: EventDataOf<"payment.succeeded">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const amount = formatMoney(data.amount, data.currency);
  const subject = `Receipt for order ${ref}`;
  const text = [
    `Hi ${to.firstName},`,
    "",
    `Thank you for your payment. Receipt for order ${ref} (payment ${data.paymentId}):`,
    "",
    itemsText(data.items, data.amount, data.currency, "Total paid", data.breakdown),
  ].join("\n");
  const html = layout(
    subject,
    `<p>Hi ${escapeHtml(to.firstName)},</p>
<p>Thank you for your payment. Receipt for order <strong>${ref}</strong> (payment ${escapeHtml(data.paymentId)}):</p>
${itemsHtml(data.items, data.amount, data.currency, "Total paid", data.breakdown)}`,
  );
  return {
    subject,
    text,
    html,
    sms: `edge-shop: payment of ${amount} received for order ${ref}. Thank you!`,
  };
}

// Provider codes as customers should read them; anything else is shown as a generic failure.
const FAILURE_REASONS: Record<string, string> = {
  card_declined: "your card was declined",
  insufficient_funds: "your card has insufficient funds",
  processing_error: "the payment provider had a temporary problem",
  expired_card: "your card has expired",
  authentication_failed: "your card's authentication (3-D Secure) failed",
  authentication_abandoned: "your card's authentication (3-D Secure) was not completed in time",
};

/** payment.failed: what went wrong and that the order is still waiting. */
export function paymentFailed(data: EventDataOf<"payment.failed">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const amount = formatMoney(data.amount, data.currency);
  const why = FAILURE_REASONS[data.reason] ?? "the payment could not be completed";
  const subject = `Payment failed for order ${ref}`;
  const text = [
    `Hi ${to.firstName},`,
    "",
    `We could not take your payment of ${amount} for order ${ref}: ${why}.`,
    "Your order is still reserved for a while; you can try again with another card.",
  ].join("\n");
  const html = layout(
    subject,
    `<p>Hi ${escapeHtml(to.firstName)},</p>
<p>We could not take your payment of <strong>${escapeHtml(amount)}</strong> for order <strong>${ref}</strong>: ${escapeHtml(why)}.</p>
<p>Your order is still reserved for a while; you can try again with another card.</p>`,
  );
  return { subject, text, html, sms: `edge-shop: payment of ${amount} for order ${ref} failed: ${why}.` };
}

/** payment.refunded: the provider confirmed the refund (after order.refunded announced it). */
export function refundIssued(data: EventDataOf<"payment.refunded">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const amount = formatMoney(data.amount, data.currency);
  const subject = `Refund of ${amount} for order ${ref} issued`;
  const text = [
    `Hi ${to.firstName},`,
    "",
    `We have refunded ${amount} for order ${ref} (payment ${data.paymentId}) to your original payment method.`,
    "Depending on your bank it may take a few days to appear.",
  ].join("\n");
  const html = layout(
    subject,
    `<p>Hi ${escapeHtml(to.firstName)},</p>
<p>We have refunded <strong>${escapeHtml(amount)}</strong> for order <strong>${ref}</strong> (payment ${escapeHtml(data.paymentId)}) to your original payment method.</p>
<p>Depending on your bank it may take a few days to appear.</p>`,
  );
  return { subject, text, html, sms: `edge-shop: refund of ${amount} for order ${ref} issued.` };
}
