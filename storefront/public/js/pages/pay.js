// Paying a pending order with a test card. A decline is shown and another card can be tried: every attempt is a
// new payment with its own Idempotency-Key. A card that must be authenticated (3-D Secure) sends the browser to
// the provider's page, which brings it back to the order.
import { api } from "../api.js";
import { busy, showProblem } from "../forms.js";
import { navigate } from "../router.js";
import { announce, h, heading, linkButton, messageBox, money, shortId, statusBadge } from "../ui.js";
import { breakdownList } from "./breakdown.js";

export const TEST_CARDS = [
  ["tok_visa", "Visa ending 4242", "succeeds"],
  ["tok_chargeDeclined", "Card declined", "is declined"],
  ["tok_insufficientFunds", "Insufficient funds", "is declined for insufficient funds"],
  ["tok_processingError", "Processing error", "fails with a transient error"],
  ["tok_threeDSecure2Required", "3-D Secure card", "asks you to authenticate the payment"],
];

const REASONS = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  processing_error: "The payment provider could not process the card. Please try again.",
  authentication_failed: "Your card's authentication (3-D Secure) failed.",
  authentication_abandoned: "Your card's authentication (3-D Secure) was not completed in time.",
};

/** A failed payment in the message box: why, in words, with the provider's reason code. */
export function showFailure(box, payment, title, next) {
  const reason = payment.failureReason ?? "declined";
  box.show(
    "error",
    h("p", {}, h("strong", {}, title), REASONS[reason] ?? "The payment did not go through.", ` (${reason})`),
    h("p", {}, next),
  );
}

function cardPicker() {
  return h(
    "fieldset",
    { class: "cards" },
    h("legend", {}, "Test card"),
    TEST_CARDS.map(([token, label, outcome], i) => {
      const id = `card-${token}`;
      return h(
        "div",
        { class: "choice" },
        h("input", { type: "radio", name: "card", id, value: token, checked: i === 0 }),
        h(
          "label",
          { for: id },
          `${label} `,
          h("code", {}, token),
          h("span", { class: "muted" }, ` (${outcome})`),
        ),
      );
    }),
  );
}

/** `#/orders/:id/pay` */
export async function payPage({ params }) {
  const { order } = await api(`/api/orders/${encodeURIComponent(params.id)}`);
  const orderHref = `#/orders/${encodeURIComponent(order.id)}`;
  if (order.status !== "pending") {
    return h(
      "section",
      {},
      heading(`Order ${shortId(order.id)}`),
      h("p", {}, "This order is ", statusBadge(order.status), " and cannot be paid."),
      linkButton(orderHref, "View the order"),
    );
  }
  const box = messageBox();
  const amount = money(order.total, order.currency);
  const button = h("button", { type: "submit", class: "button" }, `Pay ${amount}`);
  const form = h("form", { class: "stack narrow" }, box.node, cardPicker(), button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    const token = new FormData(form).get("card");
    try {
      const { payment } = await busy(button, () =>
        api("/api/payments", {
          method: "POST",
          idempotencyKey: crypto.randomUUID(),
          body: { orderId: order.id, method: { type: "card", token } },
        }),
      );
      if (payment.status === "succeeded") {
        announce(`Payment of ${amount} succeeded.`);
        navigate(`/orders/${encodeURIComponent(order.id)}`, { paid: "1" });
        return;
      }
      if (payment.status === "requires_action" && payment.nextAction) {
        // The card's issuer asks the customer to authenticate: its page sends the browser back to the order.
        announce("Your bank asks you to authenticate this payment.");
        window.location.assign(payment.nextAction.url);
        return;
      }
      if (payment.status === "processing") {
        navigate(`/orders/${encodeURIComponent(order.id)}`, { payment: payment.id });
        return;
      }
      showFailure(
        box,
        payment,
        "Payment declined: ",
        "Nothing was charged. Choose another card and try again.",
      );
      box.node.setAttribute("tabindex", "-1");
      box.node.focus();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return h(
    "section",
    {},
    heading(`Pay for order ${shortId(order.id)}`),
    breakdownList(order),
    h("p", {}, "Amount due: ", h("strong", {}, amount)),
    h("p", { class: "muted" }, "This shop uses a payment simulator: pick one of the test cards below."),
    form,
    h("p", {}, h("a", { href: orderHref }, "View the order")),
  );
}
