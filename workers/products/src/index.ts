import { WorkerEntrypoint } from "cloudflare:workers";
import type {
  ExpiredHold,
  HoldSettlement,
  ItemRequest,
  PriceResult,
  ProductQuote,
  ProductsApi,
  ReserveResult,
} from "@edge-shop/contracts";
import { answerHealthFirst, errorFields, log, rpcCall, withContext } from "@edge-shop/worker-kit";
import { app } from "./app";
import { publishChange } from "./cache/catalog-cache";
import { database } from "./db/client";
import { sweepMedia } from "./media/sweep";
import { expiredHolds, holdMs, settleHolds } from "./stock/holds";
import { priceItems, quoteProducts } from "./stock/items";
import { releaseStock } from "./stock/release";
import { reserveStock } from "./stock/reserve";
import { returnUnits } from "./stock/return";

/**
 * Typed RPC for the other services (bound with `entrypoint = "ProductsRpc"`). Reads and writes D1 only,
 * never the KV cache; stock changes bump their products' versions so those pages refresh, and the list version
 * when a product sells out or comes back (lists then show it so).
 */
export class ProductsRpc extends WorkerEntrypoint<Env> implements ProductsApi {
  private call<T>(method: string, correlationId: string | undefined, fn: () => Promise<T>): Promise<T> {
    const call = { service: "products", method, correlationId, metrics: this.env.METRICS };
    return rpcCall({ ...call, d1Stats: this.env.D1_STATS }, fn);
  }

  async price(items: ItemRequest[], correlationId?: string): Promise<PriceResult> {
    return this.call("price", correlationId, () => priceItems(database(this.env.DB), items));
  }

  async reserve(orderId: string, items: ItemRequest[], correlationId?: string): Promise<ReserveResult> {
    return this.call("reserve", correlationId, async () => {
      const db = database(this.env.DB);
      const change = await reserveStock(db, orderId, items, new Date(), holdMs(this.env));
      await publishChange(this.env, this.ctx, change);
      return change.result;
    });
  }

  async release(orderId: string, correlationId?: string): Promise<{ released: boolean }> {
    return this.call("release", correlationId, async () => {
      const change = await releaseStock(database(this.env.DB), orderId, new Date());
      await publishChange(this.env, this.ctx, change);
      return change.result;
    });
  }

  async returnStock(
    orderId: string,
    returnId: string,
    items: ItemRequest[],
    correlationId?: string,
  ): Promise<{ returned: boolean }> {
    return this.call("returnStock", correlationId, async () => {
      const change = await returnUnits(database(this.env.DB), orderId, returnId, items, new Date());
      await publishChange(this.env, this.ctx, change);
      return change.result;
    });
  }

  async quote(productIds: string[], correlationId?: string): Promise<ProductQuote[]> {
    return this.call("quote", correlationId, () => quoteProducts(database(this.env.DB), productIds));
  }

  async expiredHolds(now: number, limit: number, correlationId?: string): Promise<ExpiredHold[]> {
    return this.call("expiredHolds", correlationId, () => expiredHolds(database(this.env.DB), now, limit));
  }

  async settleHolds(settlement: HoldSettlement, correlationId?: string): Promise<{ released: string[] }> {
    return this.call("settleHolds", correlationId, async () => {
      const change = await settleHolds(database(this.env.DB), settlement, new Date());
      await publishChange(this.env, this.ctx, change);
      return change.result;
    });
  }
}

export default {
  fetch: answerHealthFirst("products", app.fetch),
  async scheduled(_controller, env) {
    await withContext({ service: "products", metrics: env.METRICS }, async () => {
      try {
        await sweepMedia(env, new Date());
      } catch (error) {
        log("error", "media sweep failed", errorFields(error));
      }
    });
  },
} satisfies ExportedHandler<Env>;
