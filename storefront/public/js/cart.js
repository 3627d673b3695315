// The cart lives on the server (the carts service), priced at the catalog's current prices on every read: a
// signed-in customer's own cart, or for a visitor a guest cart whose id is kept here and claimed at login. The
// prices last shown are kept here too, so the cart page can say when one changed.
import { api } from "./api.js";
import { session } from "./session.js";

const GUEST_KEY = "edge-shop.guest-cart";
const SEEN_KEY = "edge-shop.cart-prices";
export const MAX_QUANTITY = 100;

let current = null;

function changed(next) {
  current = next;
  window.dispatchEvent(new CustomEvent("cart-change"));
  return next;
}

function guestId() {
  return localStorage.getItem(GUEST_KEY);
}

function seenPrices() {
  try {
    const seen = JSON.parse(localStorage.getItem(SEEN_KEY) ?? "{}");
    return seen && typeof seen === "object" ? seen : {};
  } catch {
    return {};
  }
}

/** The cart to change: the signed-in customer's, or the visitor's guest cart (created on first use). */
async function cartId() {
  if (session.user()) return current?.userId ? current.id : (await api("/api/cart")).cart.id;
  const id = guestId();
  if (id) return id;
  const { cart: created } = await api("/api/carts", { method: "POST" });
  localStorage.setItem(GUEST_KEY, created.id);
  return created.id;
}

// A guest cart that expired is forgotten, and the change is made once more on a new one.
async function withCart(change) {
  const id = await cartId();
  try {
    return changed((await change(encodeURIComponent(id))).cart);
  } catch (error) {
    if (error.status !== 404 || error.code !== "not_found" || session.user()) throw error;
    localStorage.removeItem(GUEST_KEY);
    return changed((await change(encodeURIComponent(await cartId()))).cart);
  }
}

export const cart = {
  /** The last cart the server answered (null before the first read). */
  current() {
    return current;
  },
  count() {
    return current?.itemCount ?? 0;
  },
  /** Reads the cart from the server (a visitor without a guest cart has none). */
  async refresh() {
    if (session.user()) return changed((await api("/api/cart")).cart);
    const id = guestId();
    if (!id) return changed(null);
    try {
      return changed((await api(`/api/carts/${encodeURIComponent(id)}`)).cart);
    } catch (error) {
      if (error.status !== 404) throw error;
      localStorage.removeItem(GUEST_KEY);
      return changed(null);
    }
  },
  /** Adds units of a product; returns how many are in the cart now. */
  async add(product, quantity = 1) {
    const next = await withCart((id) =>
      api(`/api/carts/${id}/items`, { method: "POST", body: { productId: product.id, quantity } }),
    );
    this.remember(next);
    return next.items.find((item) => item.productId === product.id)?.quantity ?? 0;
  },
  setQuantity(productId, quantity) {
    return withCart((id) =>
      api(`/api/carts/${id}/items/${encodeURIComponent(productId)}`, { method: "PATCH", body: { quantity } }),
    );
  },
  remove(productId) {
    return withCart((id) =>
      api(`/api/carts/${id}/items/${encodeURIComponent(productId)}`, { method: "DELETE" }),
    );
  },
  /** At login: the guest cart's lines move into the customer's cart (once, whatever happens to the request). */
  async claim() {
    const id = guestId();
    if (!id) return this.refresh();
    try {
      return changed((await api(`/api/carts/${encodeURIComponent(id)}/claim`, { method: "POST" })).cart);
    } catch (error) {
      if (error.status !== 404) throw error;
      return this.refresh();
    } finally {
      localStorage.removeItem(GUEST_KEY);
    }
  },
  /** At logout: the customer's cart stays theirs on the server; this browser shows none. */
  forget() {
    changed(null);
  },
  /** The price each line had when it was last shown, where it is not the current one: `{ productId: price }`. */
  priceChanges(shown) {
    const seen = seenPrices();
    return Object.fromEntries(
      (shown?.items ?? [])
        .filter((item) => seen[item.productId] !== undefined && seen[item.productId] !== item.unitPrice)
        .map((item) => [item.productId, seen[item.productId]]),
    );
  },
  /** Notes the prices a cart showed, so the next change of price can be pointed out. */
  remember(shown) {
    const prices = Object.fromEntries((shown?.items ?? []).map((item) => [item.productId, item.unitPrice]));
    localStorage.setItem(SEEN_KEY, JSON.stringify(prices));
  },
};
