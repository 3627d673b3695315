// Checkout: the shipping address, the shipping options for its country, a promotion code previewed, the price
// breakdown, then `POST /api/orders { cartId, shippingOptionId, promotionCode }` (Idempotency-Key), then payment.
import { api } from "../api.js";
import { cart } from "../cart.js";
import { busy, field, showProblem } from "../forms.js";
import { navigate } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, linkButton, messageBox, money } from "../ui.js";
import { breakdownList } from "./breakdown.js";
import { loginFirst } from "./errors.js";

// The countries the demo ships to (GET /api/shipping-options says how); NO gets standard shipping only.
const COUNTRIES = [
  ["US", "United States"],
  ["CA", "Canada"],
  ["GB", "United Kingdom"],
  ["DE", "Germany"],
  ["FR", "France"],
  ["NL", "Netherlands"],
  ["BE", "Belgium"],
  ["AT", "Austria"],
  ["IT", "Italy"],
  ["ES", "Spain"],
  ["NO", "Norway"],
];
const ADDRESS_FIELDS = ["name", "line1", "city", "postalCode", "country"];

/** The shipping choice, the code and the breakdown of the checkout page, kept current as the shopper changes them. */
function pricing(shown) {
  const { subtotal, currency } = shown;
  const state = { options: [], chosen: "standard", promotion: null };
  const optionsBox = h("fieldset", { class: "cards" }, h("legend", {}, "Shipping"));
  const summary = h("div", { class: "breakdown-box" });
  const codeBox = messageBox();
  const codeInput = h("input", {
    id: "promotion-code",
    name: "promotionCode",
    maxlength: 50,
    autocomplete: "off",
  });
  const apply = h("button", { type: "button", class: "button button-secondary" }, "Apply");

  function renderSummary() {
    const option = state.options.find((o) => o.id === state.chosen);
    const discount = state.promotion?.discount ?? 0;
    summary.replaceChildren(
      breakdownList({
        subtotal,
        currency,
        discountTotal: discount,
        promotionCode: state.promotion?.code,
        shippingOption: option,
        total: subtotal - discount + (option?.amount ?? 0),
      }),
    );
  }

  async function loadOptions(country) {
    const { shippingOptions } = await api("/api/shipping-options", {
      query: { country, subtotal: String(subtotal), currency },
    });
    state.options = shippingOptions;
    if (!shippingOptions.some((o) => o.id === state.chosen))
      state.chosen = shippingOptions[0]?.id ?? "standard";
    optionsBox.replaceChildren(
      h("legend", {}, "Shipping"),
      ...shippingOptions.map((o) => {
        const id = `shipping-${o.id}`;
        const input = h("input", {
          type: "radio",
          name: "shipping",
          id,
          value: o.id,
          checked: o.id === state.chosen,
        });
        input.addEventListener("change", () => {
          state.chosen = o.id;
          renderSummary();
        });
        const price = o.amount === 0 ? "free" : money(o.amount, o.currency);
        return h(
          "div",
          { class: "choice" },
          input,
          h(
            "label",
            { for: id },
            `${o.name}: ${price}`,
            h("span", { class: "muted" }, ` (${o.estimatedDays} days)`),
          ),
        );
      }),
    );
    renderSummary();
  }

  apply.addEventListener("click", async () => {
    codeBox.clear();
    const code = codeInput.value.trim();
    state.promotion = null;
    if (code) {
      try {
        const { promotion } = await busy(apply, () =>
          api(`/api/promotions/${encodeURIComponent(code)}`, {
            query: { subtotal: String(subtotal), currency },
          }),
        );
        state.promotion = promotion;
        codeBox.show("success", `Code ${promotion.code} applied: −${money(promotion.discount, currency)}.`);
      } catch (error) {
        codeBox.show(
          "error",
          error.status === 404
            ? "There is no such promotion code."
            : (error.detail ?? "This code cannot be used."),
        );
      }
    }
    renderSummary();
  });
  codeInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      apply.click();
    }
  });

  const codeField = h(
    "div",
    { class: "field" },
    h("label", { for: "promotion-code" }, "Promotion code"),
    h("div", { class: "inline-form" }, codeInput, apply),
    codeBox.node,
  );
  return {
    nodes: [optionsBox, codeField, summary],
    loadOptions,
    // A code typed but not applied still goes with the order: the server checks it either way.
    choice: () => ({
      shippingOptionId: state.chosen,
      ...(codeInput.value.trim() ? { promotionCode: codeInput.value.trim() } : {}),
    }),
  };
}

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
  const priced = pricing(shown);
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
      field(
        "Country",
        { name: "country", autocomplete: "country", required: true, value: "US" },
        { tag: "select", options: COUNTRIES },
      ),
    ),
    ...priced.nodes,
    button,
  );
  const countrySelect = form.querySelector("select[name=country]");
  countrySelect.addEventListener("change", () => {
    priced.loadOptions(countrySelect.value).catch((error) => showProblem(box, error));
  });
  await priced.loadOptions(countrySelect.value);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    const address = Object.fromEntries(
      ADDRESS_FIELDS.map((name) => [name, form.elements[name].value.trim()]),
    );
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
          body: { cartId: shown.id, shippingAddress: address, ...priced.choice() },
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
