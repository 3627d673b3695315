// Checkout: the shipping address, then `POST /api/orders { cartId }` (Idempotency-Key), then the payment page.
import { api } from "../api.js";
import { cart } from "../cart.js";
import { busy, field, showProblem, values } from "../forms.js";
import { navigate } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, linkButton, messageBox } from "../ui.js";
import { cartTotal } from "./cart.js";
import { loginFirst } from "./errors.js";

/** `#/checkout` */
export async function checkoutPage({ path }) {
  if (!session.user()) return loginFirst(path, "Please log in to check out.");
  const shown = await cart.refresh();
  const items = shown?.items ?? [];
  if (items.length === 0) {
    return h(
      "section",
      {},
      heading("Checkout"),
      h("p", {}, "Your cart is empty."),
      linkButton("#/", "Browse the catalog"),
    );
  }
  const user = session.user();
  const box = messageBox();
  const button = h("button", { type: "submit", class: "button" }, "Place order");
  // One key per attempt; kept when the network failed (the same request may be retried safely), renewed after an
  // answer from the server.
  let idempotencyKey = crypto.randomUUID();
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    h(
      "fieldset",
      {},
      h("legend", {}, "Shipping address"),
      field("Full name", {
        name: "name",
        autocomplete: "name",
        required: true,
        maxlength: 200,
        value: `${user.firstName} ${user.lastName}`,
      }),
      field("Address", { name: "line1", autocomplete: "address-line1", required: true, maxlength: 200 }),
      field("City", { name: "city", autocomplete: "address-level2", required: true, maxlength: 200 }),
      field("Postal code", {
        name: "postalCode",
        autocomplete: "postal-code",
        required: true,
        maxlength: 20,
      }),
      field("Country", { name: "country", autocomplete: "country-name", required: true, maxlength: 100 }),
    ),
    h("p", { class: "total" }, "Total: ", h("strong", {}, cartTotal(shown))),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    const address = values(form);
    const missing = Object.entries(address).filter(([, v]) => v === "");
    if (missing.length) {
      showProblem(
        box,
        {
          title: "Missing information",
          detail: "Please fill in every field of the shipping address.",
          errors: missing.map(([name]) => ({ path: name, message: "Required" })),
        },
        form,
      );
      return;
    }
    try {
      const { order } = await busy(button, () =>
        api("/api/orders", {
          method: "POST",
          idempotencyKey,
          // The server orders exactly the cart's lines at today's prices, and empties the cart once it has.
          body: { cartId: shown.id, shippingAddress: address },
        }),
      );
      // The order holds the items now: a failed payment is retried on the order, not from the cart.
      await cart.refresh().catch(() => {});
      announce("Order placed. Choose a card to pay.");
      navigate(`/orders/${encodeURIComponent(order.id)}/pay`);
    } catch (error) {
      if (error.status !== 0) idempotencyKey = crypto.randomUUID();
      showProblem(box, error, form);
    }
  });
  return h(
    "section",
    {},
    heading("Checkout"),
    h(
      "ul",
      { class: "summary", "aria-label": "Order summary" },
      items.map((i) => h("li", {}, `${i.quantity} × ${i.name}`)),
    ),
    form,
  );
}
