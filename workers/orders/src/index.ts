import { WorkerEntrypoint } from "cloudflare:workers";
import type { Identity, OrdersApi, OrderView } from "@edge-shop/contracts";
import { consumeEvents } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { findOrder } from "./db/queries/orders";
import { SERVICE } from "./domain/events";
import { runMaintenance } from "./domain/maintenance";
import { handlePaymentEvent, markPaid } from "./domain/mark-paid";
import { toOrderView } from "./domain/order-view";
import type { Bindings } from "./env";

/** Typed RPC for the other services (bound with `entrypoint = "OrdersRpc"`). */
export class OrdersRpc extends WorkerEntrypoint<Bindings> implements OrdersApi {
  async getOrder(orderId: string, caller: Identity): Promise<OrderView | null> {
    const order = await findOrder(database(this.env.DB), orderId);
    if (!order || (caller.role !== "admin" && order.userId !== caller.userId)) return null;
    return toOrderView(order);
  }

  async markPaid(orderId: string, paymentId: string, _correlationId: string) {
    const result = await markPaid(database(this.env.DB), orderId, paymentId);
    if (!result) throw new Error(`unknown order ${orderId}`);
    return result;
  }
}

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    const db = database(env.DB);
    await consumeEvents(batch, SERVICE, (event) => handlePaymentEvent(db, event));
  },
  async scheduled(_controller, env) {
    await runMaintenance(env, database(env.DB));
  },
} satisfies ExportedHandler<Bindings>;
