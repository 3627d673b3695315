// The cart page: quantities, removal, totals, and the way to checkout.
import { cart, MAX_QUANTITY } from "../cart.js";
import { render } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, linkButton, money } from "../ui.js";

function row(item) {
  const id = `qty-${item.productId}`;
  const max = Math.min(MAX_QUANTITY, item.stock ?? MAX_QUANTITY);
  const input = h("input", { id, type: "number", min: 0, max, value: item.quantity, inputmode: "numeric" });
  input.addEventListener("change", () => {
    cart.setQuantity(item.productId, Number(input.value) || 0);
    announce(`Quantity of ${item.name} updated.`);
    void render();
  });
  return h(
    "tr",
    {},
    h(
      "th",
      { scope: "row" },
      h("a", { href: `#/products/${encodeURIComponent(item.productId)}` }, item.name),
    ),
    h("td", {}, money(item.price, item.currency)),
    h("td", {}, h("label", { for: id, class: "visually-hidden" }, `Quantity of ${item.name}`), input),
    h("td", {}, money(item.price * item.quantity, item.currency)),
    h(
      "td",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "aria-label": `Remove ${item.name}`,
          onclick: () => {
            cart.remove(item.productId);
            announce(`${item.name} removed from the cart.`);
            void render();
          },
        },
        "Remove",
      ),
    ),
  );
}

/** Totals per currency as "$25.99" (or "$25.99 + €3.00" in a mixed cart). */
export function cartTotal() {
  return Object.entries(cart.totals())
    .map(([currency, total]) => money(total, currency))
    .join(" + ");
}

/** `#/cart` */
export function cartPage() {
  const items = cart.items();
  if (items.length === 0) {
    return h(
      "section",
      {},
      heading("Your cart"),
      h("p", {}, "Your cart is empty."),
      linkButton("#/", "Browse the catalog"),
    );
  }
  return h(
    "section",
    {},
    heading("Your cart"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden" }, "Items in your cart"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Product", "Price", "Quantity", "Subtotal", "Actions"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h("tbody", {}, items.map(row)),
      ),
    ),
    h("p", { class: "total" }, "Total: ", h("strong", {}, cartTotal())),
    h("p", { class: "muted" }, "Prices are confirmed when you place the order."),
    session.user()
      ? linkButton("#/checkout", "Checkout")
      : linkButton(`#/login?${new URLSearchParams({ next: "/checkout" })}`, "Log in to check out"),
  );
}
