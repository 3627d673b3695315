// The cart page: the server's cart at today's prices, price changes and unavailable lines pointed out,
// quantities, removal, the subtotal, and the way to checkout.
import { cart, MAX_QUANTITY } from "../cart.js";
import { render } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, linkButton, messageBox, money } from "../ui.js";

function change(box, action, done) {
  return async () => {
    box.clear();
    try {
      await action();
      announce(done);
      void render();
    } catch (error) {
      box.show("error", error.detail ?? "The cart could not be changed.");
    }
  };
}

function row(item, currency, was, box) {
  const id = `qty-${item.productId}`;
  const input = h("input", {
    id,
    type: "number",
    min: 0,
    max: MAX_QUANTITY,
    value: item.quantity,
    inputmode: "numeric",
  });
  input.addEventListener(
    "change",
    change(
      box,
      () => cart.setQuantity(item.productId, Math.max(0, Math.trunc(Number(input.value) || 0))),
      `Quantity of ${item.name} updated.`,
    ),
  );
  const notes = [
    was === undefined ? null : h("span", { class: "note" }, `Price changed from ${money(was, currency)}`),
    item.available ? null : h("span", { class: "note note-warning" }, "Not available in this quantity"),
  ];
  return h(
    "tr",
    { "data-product-id": item.productId, class: item.available ? "" : "unavailable" },
    h(
      "th",
      { scope: "row" },
      h("a", { href: `#/products/${encodeURIComponent(item.productId)}` }, item.name),
      notes.filter(Boolean).length ? h("br") : null,
      notes,
    ),
    h("td", {}, money(item.unitPrice, currency)),
    h("td", {}, h("label", { for: id, class: "visually-hidden" }, `Quantity of ${item.name}`), input),
    h("td", {}, money(item.lineTotal, currency)),
    h(
      "td",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "aria-label": `Remove ${item.name}`,
          onclick: change(box, () => cart.remove(item.productId), `${item.name} removed from the cart.`),
        },
        "Remove",
      ),
    ),
  );
}

/** The cart's subtotal as "$25.99". */
export function cartTotal(shown) {
  return money(shown?.subtotal ?? 0, shown?.currency ?? "USD");
}

/** `#/cart` */
export async function cartPage() {
  const shown = await cart.refresh();
  if (!shown || shown.items.length === 0) {
    return h(
      "section",
      {},
      heading("Your cart"),
      h("p", {}, "Your cart is empty."),
      linkButton("#/", "Browse the catalog"),
    );
  }
  const was = cart.priceChanges(shown);
  cart.remember(shown);
  const box = messageBox();
  const blocked = shown.items.some((item) => !item.available);
  return h(
    "section",
    {},
    heading("Your cart"),
    box.node,
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
        h(
          "tbody",
          {},
          shown.items.map((item) => row(item, shown.currency, was[item.productId], box)),
        ),
      ),
    ),
    h("p", { class: "total" }, "Total: ", h("strong", {}, cartTotal(shown))),
    Object.keys(was).length
      ? h("p", { role: "status" }, "Some prices changed since you last saw your cart.")
      : null,
    blocked
      ? h("p", { class: "note-warning" }, "Remove or reduce the lines marked unavailable to check out.")
      : session.user()
        ? linkButton("#/checkout", "Checkout")
        : linkButton(`#/login?${new URLSearchParams({ next: "/checkout" })}`, "Log in to check out"),
  );
}
