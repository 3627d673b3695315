// Admin, on an order's page: its refunds, and a form that refunds chosen lines (optionally restocked) or the whole
// order. One Idempotency-Key per form shown: a double submit or a retry is the same refund.
import { api } from "../api.js";
import { busy, field, showProblem } from "../forms.js";
import { render } from "../router.js";
import { announce, h, heading, money, when } from "../ui.js";

const REFUNDABLE = new Set(["paid", "shipped", "delivered"]);

function refundsList(order, refunds) {
  if (!refunds.length) return h("p", {}, "No refunds yet.");
  const names = new Map(order.items.map((item) => [item.productId, item.name]));
  return h(
    "ul",
    { class: "plain-list", id: "order-refunds" },
    refunds.map((r) =>
      h(
        "li",
        {},
        `${when(r.createdAt)}: ${money(r.amount, r.currency)} (${r.reason})`,
        r.items.length
          ? ` for ${r.items.map((i) => `${i.quantity} × ${names.get(i.productId) ?? i.productId}`).join(", ")}`
          : "",
        r.restock ? ", restocked" : "",
      ),
    ),
  );
}

function refundForm(order, box) {
  const key = crypto.randomUUID();
  const quantities = order.items.map((item) =>
    field(`Return of ${item.name}`, {
      type: "number",
      min: "0",
      max: String(item.quantity),
      value: "0",
      name: item.productId,
    }),
  );
  const restock = h("input", { type: "checkbox", id: "refund-restock", name: "restock" });
  const reason = field("Reason", { name: "reason", required: true, maxlength: "500" });
  const lines = h("button", { type: "submit", class: "button" }, "Refund chosen lines");
  const whole = h("button", { type: "button", class: "button button-danger" }, "Refund the whole order");
  const form = h(
    "form",
    { class: "refund-form", novalidate: true },
    ...quantities,
    h(
      "div",
      { class: "field" },
      h("label", { for: "refund-restock" }, restock, " Put the returned units back in stock"),
    ),
    reason,
    h("div", { class: "actions" }, lines, " ", whole),
  );
  async function send(button, body) {
    try {
      const { refund } = await busy(button, () =>
        api(`/api/orders/${encodeURIComponent(order.id)}/refunds`, {
          method: "POST",
          body,
          idempotencyKey: key,
        }),
      );
      announce(`Refunded ${money(refund.amount, refund.currency)}.`);
      await render();
    } catch (error) {
      showProblem(box, error, form);
    }
  }
  const reasonOf = () => form.elements.namedItem("reason").value.trim();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const items = order.items
      .map((item) => ({
        productId: item.productId,
        quantity: Number(form.elements.namedItem(item.productId).value),
      }))
      .filter((item) => item.quantity > 0);
    send(lines, { items, restock: restock.checked, reason: reasonOf() });
  });
  whole.addEventListener("click", () => send(whole, { reason: reasonOf() }));
  return form;
}

/** The refunds section of an order's page, for an admin; null for anyone else's view. */
export async function refundsSection(order, box) {
  const { refunds } = await api(`/api/orders/${encodeURIComponent(order.id)}/refunds`).catch(() => ({
    refunds: [],
  }));
  return h(
    "section",
    {},
    heading("Refunds", 2),
    h(
      "p",
      {},
      `Refunded so far: ${money(order.refundedTotal ?? 0, order.currency)} of ${money(order.total, order.currency)}.`,
    ),
    refundsList(order, refunds),
    REFUNDABLE.has(order.status) ? refundForm(order, box) : null,
  );
}
