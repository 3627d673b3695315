// A stand-in for the orders worker's OrdersRpc in payments' unit tests (the e2e suite runs the real one).
// Tests seed orders with `put` and read the markPaid calls with `calls`; state lives as long as the isolate.
import { WorkerEntrypoint } from "cloudflare:workers";

const orders = new Map();
const markPaidCalls = [];

export class OrdersRpc extends WorkerEntrypoint {
  async getOrder(orderId, caller) {
    const order = orders.get(orderId);
    if (!order) return null;
    if (caller.role !== "admin" && caller.userId !== order.userId) return null;
    const { failMarkPaid: _f, cancelOnMarkPaid: _c, paymentId: _p, ...view } = order;
    return view;
  }

  async markPaid(orderId, paymentId, correlationId) {
    markPaidCalls.push({ orderId, paymentId, correlationId });
    const order = orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    if (order.failMarkPaid) throw new Error("orders unavailable");
    if (order.cancelOnMarkPaid && order.status === "pending") order.status = "cancelled";
    if (order.status === "pending") {
      order.status = "paid";
      order.paymentId = paymentId;
    }
    return { status: order.status, paymentId: order.paymentId ?? null };
  }

  // As orders applies a refund's event: its refunded total, `refunded` once all of it; restocking returned lines
  // is orders' business (tested there).
  async applyRefund(event) {
    const order = orders.get(event.data.orderId);
    if (!order) throw new Error(`no order ${event.data.orderId}`);
    order.refundedTotal = Math.max(order.refundedTotal ?? 0, event.data.amountRefunded ?? 0);
    if (!event.data.partial) order.status = "refunded";
    const { failMarkPaid: _f, cancelOnMarkPaid: _c, paymentId: _p, ...view } = order;
    return view;
  }

  // Test-only helpers.
  async put(order) {
    orders.set(order.id, { ...order });
  }

  async calls(orderId) {
    return markPaidCalls.filter((c) => c.orderId === orderId);
  }
}

export default { fetch: () => new Response("orders stub") };
