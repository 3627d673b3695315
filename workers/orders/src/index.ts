import { WorkerEntrypoint } from "cloudflare:workers";
import {
  type EventEnvelope,
  type Identity,
  type Order,
  type OrdersApi,
  type OrderView,
  parseEvent,
} from "@edge-shop/contracts";
import { answerHealthFirst, handleQueue, rpcCall, withContext } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { findOrder } from "./db/queries/orders";
import { SERVICE } from "./domain/events";
import { runMaintenance } from "./domain/maintenance";
import { markPaid } from "./domain/mark-paid";
import { toOrder, toOrderView } from "./domain/order-view";
import { applyPaymentEvents, handlePaymentEvent } from "./domain/payment-events";

/** Typed RPC for the other services (bound with `entrypoint = "OrdersRpc"`). */
export class OrdersRpc extends WorkerEntrypoint<Env> implements OrdersApi {
  private call<T>(method: string, correlationId: string | undefined, fn: () => Promise<T>): Promise<T> {
    return rpcCall({ service: SERVICE, method, correlationId, metrics: this.env.METRICS }, fn);
  }

  async getOrder(orderId: string, caller: Identity, correlationId?: string): Promise<OrderView | null> {
    return this.call("getOrder", correlationId, async () => {
      const order = await findOrder(database(this.env.DB), orderId);
      if (!order || (caller.role !== "admin" && order.userId !== caller.userId)) return null;
      return toOrderView(order);
    });
  }

  async applyRefund(event: EventEnvelope<"payment.refunded">): Promise<Order> {
    return this.call("applyRefund", event.correlationId, async () => {
      const db = database(this.env.DB);
      await handlePaymentEvent(this.env, db, parseEvent(event));
      const order = await findOrder(db, event.data.orderId);
      if (!order) throw new Error(`unknown order ${event.data.orderId}`);
      return toOrder(order);
    });
  }

  async markPaid(orderId: string, paymentId: string, correlationId: string) {
    return this.call("markPaid", correlationId, async () => {
      const result = await markPaid(database(this.env.DB), orderId, paymentId);
      if (!result) throw new Error(`unknown order ${orderId}`);
      return result;
    });
  }
}

export default {
  fetch: answerHealthFirst("orders", app.fetch),
  async queue(batch, env) {
    const db = database(env.DB);
    await handleQueue(
      batch,
      { service: SERVICE, db, metrics: env.METRICS },
      (event) => handlePaymentEvent(env, db, event),
      (events) => applyPaymentEvents(env, db, events),
    );
  },
  async scheduled(_controller, env) {
    await withContext({ service: SERVICE, metrics: env.METRICS }, () =>
      runMaintenance(env, database(env.DB)),
    );
  },
} satisfies ExportedHandler<Env>;
