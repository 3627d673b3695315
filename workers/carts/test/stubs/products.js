// A stand-in for the products worker's ProductsRpc: a catalog the tests write (`putProduct`; `deleteProduct`
// makes one unknown), read by `quote` as products would answer it. `quoteCalls` counts the calls (one per cart
// read); `failQuotes` makes the next ones throw, as an unreachable products worker would.
import { WorkerEntrypoint } from "cloudflare:workers";

const catalog = new Map();
let quoteCalls = 0;
let failing = 0;

export class ProductsRpc extends WorkerEntrypoint {
  async quote(productIds) {
    quoteCalls++;
    if (failing > 0) {
      failing--;
      throw new Error("products is down");
    }
    // As slow as a D1 read, so concurrent calls into one cart really interleave.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return productIds.filter((id) => catalog.has(id)).map((id) => catalog.get(id));
  }

  // A new product takes the defaults; a known one changes only the fields given.
  async putProduct(product) {
    const defaults = {
      name: `Product ${product.productId}`,
      price: 1000,
      currency: "USD",
      stock: 100,
      isActive: true,
      maxPerOrder: null,
    };
    catalog.set(product.productId, { ...(catalog.get(product.productId) ?? defaults), ...product });
  }

  async deleteProduct(productId) {
    catalog.delete(productId);
  }

  async quoteCalls() {
    return quoteCalls;
  }

  async failQuotes(count) {
    failing = count;
  }
}

export default { fetch: () => new Response("products stub") };
