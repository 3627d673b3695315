// A stand-in for the products worker's ProductsRpc, with its catalog encoded in product ids so every test
// makes its own products: "<kind>:<unitPrice>:<stock>:<unique>" where kind is
//   usd / eur  an active product in that currency     inactive  an inactive product
//   missing    not in the catalog                     slow      usd, but reserve takes 400 ms
//   boom       reserve throws                          badline   reserve answers a line D1 refuses (null name)
//   limited    usd, at most one per order (maxPerOrder)
// Stock lives in this isolate's memory; stockOf / reserveCalls / holdOf let tests look inside, failReleases
// makes the next releases (and returns) throw. Holds expire HOLD_MS after the reserve, as products' RESERVATION_HOLD_SECONDS.
import { WorkerEntrypoint } from "cloudflare:workers";

const HOLD_MS = 300_000;
const stock = new Map();
const reservations = new Map();
const reserveCalls = new Map();
let failingReleases = 0;

function product(id) {
  const [kind, price, initial] = id.split(":");
  if (!stock.has(id)) stock.set(id, Number(initial ?? 0));
  return { kind, unitPrice: Number(price ?? 0), currency: kind === "eur" ? "EUR" : "USD" };
}

function refuse(reason, productIds) {
  return { ok: false, reason, productIds };
}

export class ProductsRpc extends WorkerEntrypoint {
  async price() {
    throw new Error("not used by orders");
  }

  async reserve(orderId, items) {
    for (const { productId } of items) reserveCalls.set(productId, (reserveCalls.get(productId) ?? 0) + 1);
    if (reservations.has(orderId)) return reservations.get(orderId).result;
    const products = items.map((item) => ({ item, p: product(item.productId) }));
    if (products.some(({ p }) => p.kind === "boom")) throw new Error("products exploded");
    if (products.some(({ p }) => p.kind === "slow")) await new Promise((r) => setTimeout(r, 400));
    const missing = products.filter(({ p }) => p.kind === "missing").map(({ item }) => item.productId);
    if (missing.length) return refuse("not_found", missing);
    const inactive = products.filter(({ p }) => p.kind === "inactive").map(({ item }) => item.productId);
    if (inactive.length) return refuse("inactive", inactive);
    const currencies = new Set(products.map(({ p }) => p.currency));
    if (currencies.size > 1) {
      const odd = products.filter(({ p }) => p.currency !== products[0].p.currency);
      return refuse(
        "mixed_currency",
        odd.map(({ item }) => item.productId),
      );
    }
    const limited = products.filter(({ item, p }) => p.kind === "limited" && item.quantity > 1);
    if (limited.length)
      return refuse(
        "max_per_order",
        limited.map(({ item }) => item.productId),
      );
    const short = products.filter(({ item }) => stock.get(item.productId) < item.quantity);
    if (short.length)
      return refuse(
        "insufficient_stock",
        short.map(({ item }) => item.productId),
      );
    for (const { item } of products) stock.set(item.productId, stock.get(item.productId) - item.quantity);
    const priced = products.map(({ item, p }) => ({
      productId: item.productId,
      name: p.kind === "badline" ? null : `Product ${item.productId}`,
      unitPrice: p.unitPrice,
      currency: p.currency,
      quantity: item.quantity,
      lineTotal: p.unitPrice * item.quantity,
    }));
    const total = priced.reduce((sum, line) => sum + line.lineTotal, 0);
    const result = { ok: true, items: priced, total, currency: products[0].p.currency };
    reservations.set(orderId, { items, result, released: false, expiresAt: Date.now() + HOLD_MS });
    return result;
  }

  async release(orderId) {
    if (failingReleases > 0) {
      failingReleases--;
      throw new Error("products is down");
    }
    return this.releaseNow(orderId);
  }

  releaseNow(orderId) {
    const reservation = reservations.get(orderId);
    if (!reservation || reservation.released) return { released: false };
    reservation.released = true;
    for (const item of reservation.items)
      stock.set(item.productId, stock.get(item.productId) + item.quantity);
    return { released: true };
  }

  async returnStock(orderId, returnId, items) {
    if (failingReleases > 0) {
      failingReleases--;
      throw new Error("products is down");
    }
    const reservation = reservations.get(orderId);
    if (!reservation || reservation.released || reservation.returns?.has(returnId))
      return { returned: false };
    reservation.returns = new Set([...(reservation.returns ?? []), returnId]);
    for (const item of items) {
      stock.set(item.productId, stock.get(item.productId) + item.quantity);
      const line = reservation.items.find((l) => l.productId === item.productId);
      if (line) line.quantity -= item.quantity;
    }
    return { returned: true };
  }

  async expiredHolds(now, limit) {
    return [...reservations.entries()]
      .filter(([, r]) => !r.released && r.expiresAt !== null && r.expiresAt <= now)
      .slice(0, limit)
      .map(([orderId, r]) => ({ orderId, createdAt: r.expiresAt - HOLD_MS, expiresAt: r.expiresAt }));
  }

  async settleHolds({ release, keep }) {
    const released = release.filter((orderId) => this.releaseNow(orderId).released);
    for (const { orderId, until } of keep) {
      const reservation = reservations.get(orderId);
      if (reservation && !reservation.released) reservation.expiresAt = until;
    }
    return { released };
  }

  async holdOf(orderId) {
    const reservation = reservations.get(orderId);
    return reservation && { released: reservation.released, expiresAt: reservation.expiresAt };
  }

  async failReleases(count) {
    failingReleases = count;
  }

  async stockOf(productId) {
    product(productId);
    return stock.get(productId);
  }

  async reserveCalls(productId) {
    return reserveCalls.get(productId) ?? 0;
  }
}

export default { fetch: () => new Response("products stub") };
