// A stand-in for the carts worker's CartsRpc: carts the tests put (`putCart`), checked out as carts does it,
// without the waiting (a checkout while another runs is `busy`). `script` queues the next answers of
// beginCheckout for a cart (stale, created, failed…); `cartState` shows its lines and the calls it received.
import { WorkerEntrypoint } from "cloudflare:workers";

const carts = new Map();

function cartFor(cartId) {
  const cart = carts.get(cartId);
  if (!cart) throw new Error(`no cart ${cartId} in the stub`);
  return cart;
}

export class CartsRpc extends WorkerEntrypoint {
  async beginCheckout(cartId, caller, replacing) {
    const cart = carts.get(cartId);
    if (!cart || cart.userId !== caller.userId) return { kind: "not_found" };
    cart.begins.push(replacing ?? null);
    if (cart.script.length > 0) return cart.script.shift();
    if (cart.pending && cart.pending.orderId !== replacing) return { kind: "busy" };
    if (cart.lastOrder) return { kind: "created", orderId: cart.lastOrder };
    if (cart.items.length === 0) return { kind: "empty" };
    const orderId = crypto.randomUUID();
    cart.pending = { orderId, items: cart.items.map((item) => ({ ...item })) };
    return { kind: "lead", orderId, items: cart.pending.items };
  }

  async completeCheckout(cartId, orderId) {
    const cart = cartFor(cartId);
    cart.completes.push(orderId);
    if (cart.pending?.orderId !== orderId) return;
    cart.items = [];
    cart.lastOrder = orderId;
    cart.pending = null;
  }

  async failCheckout(cartId, orderId, problem) {
    const cart = cartFor(cartId);
    cart.fails.push({ orderId, problem });
    if (cart.pending?.orderId === orderId) cart.pending = null;
  }

  async putCart(cartId, userId, items) {
    carts.set(cartId, {
      userId,
      items,
      pending: null,
      lastOrder: null,
      script: [],
      begins: [],
      completes: [],
      fails: [],
    });
  }

  async script(cartId, starts) {
    cartFor(cartId).script.push(...starts);
  }

  async cartState(cartId) {
    const { userId, items, pending, lastOrder, begins, completes, fails } = cartFor(cartId);
    return { userId, items, pending, lastOrder, begins, completes, fails };
  }
}

export default { fetch: () => new Response("carts stub") };
