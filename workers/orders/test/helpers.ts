import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { CheckoutProblem, CheckoutStart, Order } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { database } from "../src/db/client";
import { outbox } from "../src/db/schema";
import worker from "../src/index";

/** The products stub's extra RPC methods (see stubs/products.js). */
interface ProductsStub {
  stockOf(productId: string): Promise<number>;
  reserveCalls(productId: string): Promise<number>;
  holdOf(orderId: string): Promise<{ released: boolean; expiresAt: number | null } | undefined>;
  failReleases(count: number): Promise<void>;
}

export const products = env.PRODUCTS as unknown as ProductsStub & typeof env.PRODUCTS;

/** The carts stub's methods (see stubs/carts.js). */
interface CartsStub {
  putCart(
    cartId: string,
    userId: string | null,
    items: { productId: string; quantity: number }[],
  ): Promise<void>;
  script(cartId: string, starts: CheckoutStart[]): Promise<void>;
  cartState(cartId: string): Promise<{
    items: { productId: string; quantity: number }[];
    pending: { orderId: string } | null;
    lastOrder: string | null;
    begins: (string | null)[];
    completes: string[];
    fails: { orderId: string; problem: CheckoutProblem }[];
  }>;
}

export const carts = env.CARTS as unknown as CartsStub;
export const db = database(env.DB);
export const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };

/** A product id of the stub's catalog, unique to the calling test. */
export function pid(kind: string, unitPrice: number, stock: number): string {
  return `${kind}:${unitPrice}:${stock}:${crypto.randomUUID()}`;
}

/** A new user identity, as the gateway would assert it. */
export function user(role: "user" | "admin" = "user") {
  return { userId: `user-${crypto.randomUUID()}`, role };
}
export type Caller = ReturnType<typeof user>;

/** A request to the orders worker as the gateway forwards it. */
export async function call(
  path: string,
  init: {
    method?: string;
    as?: Caller;
    json?: unknown;
    body?: string;
    key?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const headers = await forwardedAs(init.as, init.headers);
  if (init.key !== undefined) headers.set("idempotency-key", init.key);
  if (init.json !== undefined || init.body !== undefined) headers.set("content-type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return exports.default.fetch(`http://orders${path}`, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

/** Creates an order of the given items and returns it (fails the test on any other status). */
export async function placeOrder(
  as: Caller,
  items: { productId: string; quantity: number }[],
  key = crypto.randomUUID(),
): Promise<Order> {
  const response = await call("/api/orders", { as, key, json: { items, shippingAddress: address } });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${text}`);
  return (JSON.parse(text) as { order: Order }).order;
}

/** The outbox rows of one order's events, as { type, destination, sent }. */
export async function outboxOf(orderId: string) {
  const rows = await db.select().from(outbox);
  return rows
    .map((row) => ({ row, event: JSON.parse(row.body) as { type: string; data: { orderId?: string } } }))
    .filter(({ event }) => event.data.orderId === orderId)
    .map(({ row, event }) => ({ type: event.type, destination: row.destination, sent: row.sentAt !== null }));
}

/** Deletes nothing, changes nothing: reads the raw outbox row of an event id. */
export function outboxRowsOfEvent(eventId: string) {
  return db.select().from(outbox).where(eq(outbox.eventId, eventId));
}

/** Runs the queue handler on one batch of `orders-queue` messages (first deliveries): the acks and retries. */
export async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    "orders-queue",
    bodies.map((body, i) => ({
      id: `msg-${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), ids: batch.messages.map((m) => m.id) };
}
