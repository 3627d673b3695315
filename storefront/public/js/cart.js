// The cart lives in the browser (localStorage). Prices here are for display only: the order is priced by the server.
const KEY = "edge-shop.cart";
export const MAX_QUANTITY = 100;

function read() {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.productId === "string") : [];
  } catch {
    return [];
  }
}

function write(items) {
  localStorage.setItem(KEY, JSON.stringify(items));
  window.dispatchEvent(new CustomEvent("cart-change"));
}

function clamp(quantity, stock) {
  const limit = Math.min(MAX_QUANTITY, Number.isInteger(stock) ? stock : MAX_QUANTITY);
  return Math.max(0, Math.min(limit, Math.trunc(quantity)));
}

export const cart = {
  items() {
    return read();
  },
  count() {
    return read().reduce((sum, item) => sum + item.quantity, 0);
  },
  /** Adds a product (or more of it); returns the quantity now in the cart. */
  add(product, quantity = 1) {
    const items = read();
    const existing = items.find((i) => i.productId === product.id);
    const wanted = (existing?.quantity ?? 0) + quantity;
    const next = clamp(wanted, product.stock);
    if (existing) {
      existing.quantity = next;
      existing.price = product.price;
      existing.stock = product.stock;
    } else if (next > 0) {
      items.push({
        productId: product.id,
        name: product.name,
        price: product.price,
        currency: product.currency,
        stock: product.stock,
        quantity: next,
      });
    }
    write(items);
    return next;
  },
  setQuantity(productId, quantity) {
    const items = read();
    const item = items.find((i) => i.productId === productId);
    if (!item) return;
    item.quantity = clamp(quantity, item.stock);
    write(items.filter((i) => i.quantity > 0));
  },
  remove(productId) {
    write(read().filter((i) => i.productId !== productId));
  },
  clear() {
    write([]);
  },
  /** Totals per currency, e.g. `{ USD: 2599 }`. */
  totals() {
    const totals = {};
    for (const item of read())
      totals[item.currency] = (totals[item.currency] ?? 0) + item.price * item.quantity;
    return totals;
  },
};
