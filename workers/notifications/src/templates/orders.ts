import type { EventDataOf } from "@edge-shop/contracts";
import { escapeHtml, formatMoney, layout, orderRef } from "./format";
import { itemsHtml, itemsText } from "./items";
import type { Recipient, Rendered } from "./types";

function greeting(to: Recipient): { text: string; html: string } {
  return { text: `Hi ${to.firstName},`, html: `<p>Hi ${escapeHtml(to.firstName)},</p>` };
}

/** order.created: the order as placed, awaiting payment. */
export function orderCreated(data: EventDataOf<"order.created">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const subject = `We received your order ${ref}`;
  const hi = greeting(to);
  const text = [
    hi.text,
    "",
    `Thanks for your order ${ref}. It is reserved for you until it is paid:`,
    "",
    itemsText(data.items, data.total, data.currency, "Total", data.breakdown),
  ].join("\n");
  const html = layout(
    subject,
    `${hi.html}
<p>Thanks for your order <strong>${ref}</strong>. It is reserved for you until it is paid:</p>
${itemsHtml(data.items, data.total, data.currency, "Total", data.breakdown)}`,
  );
  const sms = `edge-shop: order ${ref} received, total ${formatMoney(data.total, data.currency)}.`;
  return { subject, text, html, sms };
}

const CANCEL_REASONS: Record<EventDataOf<"order.cancelled">["reason"], string> = {
  customer: "as you asked",
  expired: "because it was not paid in time",
  admin: "by our team",
};

/** order.cancelled: by the customer, by an admin, or because it expired unpaid. */
export function orderCancelled(data: EventDataOf<"order.cancelled">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const subject = `Your order ${ref} was cancelled`;
  const why = CANCEL_REASONS[data.reason];
  const hi = greeting(to);
  const text = [
    hi.text,
    "",
    `Your order ${ref} was cancelled ${why}. You have not been charged for it.`,
  ].join("\n");
  const html = layout(
    subject,
    `${hi.html}
<p>Your order <strong>${ref}</strong> was cancelled ${why}. You have not been charged for it.</p>`,
  );
  return { subject, text, html, sms: `edge-shop: order ${ref} was cancelled ${why}.` };
}

/** order.refunded: a paid order was cancelled; its refund is under way (payment.refunded confirms it). */
export function orderRefunded(data: EventDataOf<"order.refunded">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const amount = formatMoney(data.amount, data.currency);
  const subject = `Order ${ref} cancelled: refund of ${amount} under way`;
  const hi = greeting(to);
  const text = [
    hi.text,
    "",
    `Your order ${ref} was cancelled. A refund of ${amount} to your original payment method is under way;`,
    "we will write again when it has been issued.",
  ].join("\n");
  const html = layout(
    subject,
    `${hi.html}
<p>Your order <strong>${ref}</strong> was cancelled. A refund of <strong>${escapeHtml(amount)}</strong> to your original payment method is under way; we will write again when it has been issued.</p>`,
  );
  return { subject, text, html, sms: `edge-shop: order ${ref} cancelled, refund of ${amount} under way.` };
}

/** order.shipped. */
export function orderShipped(data: EventDataOf<"order.shipped">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const subject = `Your order ${ref} has shipped`;
  const hi = greeting(to);
  const text = [hi.text, "", `Good news: your order ${ref} is on its way.`].join("\n");
  const html = layout(
    subject,
    `${hi.html}\n<p>Good news: your order <strong>${ref}</strong> is on its way.</p>`,
  );
  return { subject, text, html, sms: `edge-shop: order ${ref} has shipped.` };
}

/** order.delivered. */
export function orderDelivered(data: EventDataOf<"order.delivered">, to: Recipient): Rendered {
  const ref = orderRef(data.orderId);
  const subject = `Your order ${ref} was delivered`;
  const hi = greeting(to);
  const text = [hi.text, "", `Your order ${ref} was delivered. Enjoy!`].join("\n");
  const html = layout(subject, `${hi.html}\n<p>Your order <strong>${ref}</strong> was delivered. Enjoy!</p>`);
  return { subject, text, html, sms: `edge-shop: order ${ref} was delivered.` };
}
