// Order history and one order: items, status, payments, cancel.
import { api } from "../api.js";
import { busy, showProblem } from "../forms.js";
import { render } from "../router.js";
import { session } from "../session.js";
import {
  announce,
  confirmStep,
  h,
  heading,
  linkButton,
  messageBox,
  money,
  shortId,
  statusBadge,
  when,
} from "../ui.js";
import { refundsSection } from "./admin-refunds.js";
import { breakdownList } from "./breakdown.js";
import { loginFirst } from "./errors.js";
import { pager } from "./pager.js";
import { showFailure } from "./pay.js";

const CANCELLABLE = new Set(["pending", "paid"]);

function ordersTable(orders) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, "Your orders, newest first"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Order", "Placed", "Items", "Total", "Status"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        orders.map((order) =>
          h(
            "tr",
            { "data-order-id": order.id },
            h(
              "th",
              { scope: "row" },
              h(
                "a",
                { href: `#/orders/${encodeURIComponent(order.id)}`, title: order.id },
                `Order ${shortId(order.id)}`,
              ),
            ),
            h("td", {}, when(order.createdAt)),
            h("td", {}, String(order.items.reduce((n, i) => n + i.quantity, 0))),
            h("td", {}, money(order.total, order.currency)),
            h("td", {}, statusBadge(order.status)),
          ),
        ),
      ),
    ),
  );
}

/** `#/orders?page=2` */
export async function ordersPage({ query, path }) {
  if (!session.user()) return loginFirst(path);
  const page = query.get("page") ?? "1";
  const { orders, pagination } = await api("/api/orders", { query: { page, limit: "10" } });
  return h(
    "section",
    {},
    heading("Your orders"),
    orders.length ? ordersTable(orders) : h("p", {}, "You have no orders yet."),
    pager(pagination, (p) => `#/orders?page=${p}`),
  );
}

function address(shipping) {
  if (typeof shipping === "string") return shipping;
  return Object.values(shipping ?? {}).join(", ");
}

function itemsTable(order) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, "Items of the order"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Product", "Unit price", "Quantity", "Line total"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        order.items.map((item) =>
          h(
            "tr",
            {},
            h(
              "th",
              { scope: "row" },
              h("a", { href: `#/products/${encodeURIComponent(item.productId)}` }, item.name),
            ),
            h("td", {}, money(item.unitPrice, order.currency)),
            h("td", {}, String(item.quantity)),
            h("td", {}, money(item.lineTotal, order.currency)),
          ),
        ),
      ),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row", colspan: "3" }, "Subtotal"),
          h("td", {}, money(order.subtotal, order.currency)),
        ),
      ),
    ),
  );
}

function paymentsList(payments) {
  if (!payments?.length) return null;
  return h(
    "section",
    {},
    heading("Payment attempts", 2),
    h(
      "ul",
      { class: "plain-list" },
      payments.map((p) =>
        h(
          "li",
          {},
          `${when(p.createdAt)}: ${money(p.amount, p.currency)} `,
          statusBadge(p.status),
          p.failureReason ? ` (${p.failureReason})` : "",
          p.amountRefunded > 0 ? ` (${money(p.amountRefunded, p.currency)} refunded)` : "",
          p.status === "requires_action" && p.nextAction
            ? [" ", h("a", { href: p.nextAction.url }, "Authenticate the card")]
            : "",
        ),
      ),
    ),
  );
}

function cancelControls(order, box) {
  const refund = order.status === "paid";
  const confirmBox = h("div", { class: "confirm", hidden: true });
  const start = h("button", { type: "button", class: "button button-danger" }, "Cancel order");
  const yes = h(
    "button",
    { type: "button", class: "button button-danger" },
    refund ? "Yes, cancel and refund" : "Yes, cancel",
  );
  const no = h("button", { type: "button", class: "button button-secondary" }, "Keep the order");
  confirmBox.append(
    h("p", {}, refund ? "Cancel this order? The payment will be refunded." : "Cancel this order?"),
    yes,
    " ",
    no,
  );
  start.addEventListener("click", confirmStep(start, confirmBox, no));
  yes.addEventListener("click", async () => {
    try {
      const { order: updated } = await busy(yes, () =>
        api(`/api/orders/${encodeURIComponent(order.id)}/cancel`, { method: "POST" }),
      );
      announce(`Order ${updated.status}.`);
      await render();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return h("div", { class: "actions" }, start, confirmBox);
}

// A payment marks the order paid synchronously, but if an event is still on its way the page waits a little.
async function loadOrder(id, expectPaid) {
  const deadline = Date.now() + (expectPaid ? 5000 : 0);
  for (;;) {
    const { order } = await api(`/api/orders/${encodeURIComponent(id)}`);
    if (order.status !== "pending" || Date.now() >= deadline) return order;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const WAITING = new Set(["processing", "requires_action"]);

// Back from the card's authentication (or a payment whose outcome was not known yet): the provider's webhook
// settles the payment, usually before the browser is back; the page waits a little for it.
async function loadPayments(orderId, awaited) {
  const deadline = Date.now() + (awaited ? 5000 : 0);
  for (;;) {
    const payments = await api("/api/payments", { query: { orderId } })
      .then((body) => body.payments)
      .catch(() => null);
    const payment = payments?.find((p) => p.id === awaited);
    if (!payment || !WAITING.has(payment.status) || Date.now() >= deadline) return { payments, payment };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function paymentOutcome(box, payment) {
  if (payment.status === "failed") {
    showFailure(box, payment, "Payment failed: ", "Nothing was charged. You can pay again.");
  } else if (payment.status === "processing") {
    box.show(
      "info",
      h(
        "p",
        {},
        h("strong", {}, "Payment being confirmed. "),
        "The provider has not told us the outcome yet; this page shows it once it has (reload in a minute).",
      ),
    );
  } else if (payment.status === "requires_action" && payment.nextAction) {
    box.show(
      "info",
      h(
        "p",
        {},
        "Your card still needs to be authenticated: ",
        h("a", { href: payment.nextAction.url }, "authenticate it"),
        ".",
      ),
    );
  }
}

/** `#/orders/:id` (`?paid=1` right after a successful payment, `?payment=<id>` back from its authentication) */
export async function orderPage({ params, query, path }) {
  if (!session.user()) return loginFirst(path);
  const awaited = query.get("payment");
  const { payments, payment } = await loadPayments(params.id, awaited);
  const paidNow = query.get("paid") === "1" || payment?.status === "succeeded";
  const order = await loadOrder(params.id, paidNow);
  const box = messageBox();
  if (paidNow && order.status === "paid") {
    box.show(
      "success",
      h("p", {}, h("strong", {}, "Payment received. "), "Thank you! A receipt is in your inbox."),
    );
  } else if (payment) {
    paymentOutcome(box, payment);
  }
  return h(
    "section",
    { class: "order" },
    heading(`Order ${shortId(order.id)}`),
    box.node,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Status"),
      h("dd", { id: "order-status" }, statusBadge(order.status)),
      h("dt", {}, "Placed"),
      h("dd", {}, when(order.createdAt)),
      h("dt", {}, "Ship to"),
      h("dd", {}, address(order.shippingAddress)),
      h("dt", {}, "Order id"),
      h("dd", {}, h("code", {}, order.id)),
    ),
    itemsTable(order),
    breakdownList(order),
    order.status === "pending" ? linkButton(`#/orders/${encodeURIComponent(order.id)}/pay`, "Pay now") : null,
    CANCELLABLE.has(order.status) ? cancelControls(order, box) : null,
    paymentsList(payments),
    session.isAdmin() ? await refundsSection(order, box) : null,
    h("p", {}, h("a", { href: "#/orders" }, "← All orders")),
  );
}
