// What an order costs, line by line: subtotal, the promotion's discount, shipping, tax and the total charged.
import { h, money } from "../ui.js";

/** The figures as a description list; `tax` undefined shows that tax is worked out when the order is placed. */
export function breakdownList({
  subtotal,
  discountTotal,
  promotionCode,
  shippingOption,
  taxTotal,
  total,
  currency,
}) {
  const row = (label, value, id) => [h("dt", {}, label), h("dd", id ? { id } : {}, value)];
  return h(
    "dl",
    { class: "facts breakdown", "aria-label": "Price breakdown" },
    row("Subtotal", money(subtotal, currency)),
    discountTotal > 0 || promotionCode
      ? row(`Discount${promotionCode ? ` (${promotionCode})` : ""}`, `−${money(discountTotal, currency)}`)
      : null,
    shippingOption
      ? row(`Shipping (${shippingOption.name})`, money(shippingOption.amount, currency))
      : row("Shipping", "choose an option"),
    row("Tax", taxTotal === undefined ? "calculated when you place the order" : money(taxTotal, currency)),
    row(
      taxTotal === undefined ? "Total before tax" : "Total",
      h("strong", {}, money(total, currency)),
      "breakdown-total",
    ),
  );
}
