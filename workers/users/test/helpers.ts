import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { AuthResponse, EventEnvelope, Identity, Role } from "@edge-shop/contracts";
import { countingD1, countingQueue } from "../../../packages/worker-kit/test/call-counters";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { app } from "../src/app";

export const PASSWORD = "correct-horse-battery";

/** An email no other test uses (storage is shared by the tests of a file). */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}

/** A caller as the gateway verified it. */
export function caller(userId: string, role: Role = "user"): Identity {
  return { userId, role };
}

/** A request to the users service as the gateway forwards it (full public path), signed for `as`. */
export async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; as?: Identity } = {},
): Promise<Response> {
  const headers = await forwardedAs(options.as, options.headers);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  return exports.default.fetch(`http://users${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
}

/** Registers a fresh account and returns the 201 body with its credentials. */
export async function registerUser(
  overrides: Record<string, unknown> = {},
): Promise<AuthResponse & { email: string; password: string }> {
  const email = uniqueEmail();
  const body = { email, password: PASSWORD, firstName: "Ada", lastName: "Lovelace", ...overrides };
  const response = await call("POST", "/api/users/register", { body });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return {
    ...((await response.json()) as AuthResponse),
    email: String(body.email),
    password: String(body.password),
  };
}

export function login(email: string, password: string): Promise<Response> {
  return call("POST", "/api/users/login", { body: { email, password } });
}

/** Every string of a JSON value, to check that no password material leaks. */
export function serialized(value: unknown): string {
  return JSON.stringify(value);
}

/** What a test sees of one request run on the app with its own bindings: the answer, then the work after it. */
export interface Served {
  response: Response;
  /** The D1 calls made until the answer (countingD1's log), before anything `waitUntil` kept alive ran. */
  callsBeforeAnswer: string[];
  /** Every message sent to each queue, once the work after the answer is done. */
  sent: Record<"notifications" | "orders" | "payments" | "carts", EventEnvelope[]>;
}

/**
 * Runs one request on the app with counting D1 and queue bindings, and waits for what it left to `waitUntil`
 * (publishing happens after the answer).
 */
export async function serve(
  method: string,
  path: string,
  options: { body?: unknown; as?: Identity } = {},
): Promise<Served> {
  const counter = countingD1(env.DB);
  const queues = {
    notifications: countingQueue(env.NOTIFICATIONS_QUEUE),
    orders: countingQueue(env.ORDERS_QUEUE),
    payments: countingQueue(env.PAYMENTS_QUEUE),
    carts: countingQueue(env.CARTS_QUEUE),
  };
  const testEnv = {
    ...env,
    DB: counter.d1,
    NOTIFICATIONS_QUEUE: queues.notifications.queue,
    ORDERS_QUEUE: queues.orders.queue,
    PAYMENTS_QUEUE: queues.payments.queue,
    CARTS_QUEUE: queues.carts.queue,
  };
  const headers = await forwardedAs(options.as);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  const request = new Request(`http://users${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const ctx = createExecutionContext();
  const response = await app.fetch(request, testEnv, ctx);
  const callsBeforeAnswer = [...counter.calls.log];
  await waitOnExecutionContext(ctx);
  const sent = (q: { sent: unknown[] }) => q.sent as EventEnvelope[];
  return {
    response,
    callsBeforeAnswer,
    sent: {
      notifications: sent(queues.notifications),
      orders: sent(queues.orders),
      payments: sent(queues.payments),
      carts: sent(queues.carts),
    },
  };
}

/** The token a link event carries (`user.registered` carries its verification token under `verification`). */
export function tokenOf(event: EventEnvelope | undefined): string {
  if (!event) throw new Error("no event");
  const data = event.data as { token?: string; verification?: { token: string } };
  const token = data.token ?? data.verification?.token;
  if (!token) throw new Error(`${event.type} carries no token`);
  return token;
}

/** Registers through `serve` and answers the account and the token of its verification link. */
export async function registerWithLink(overrides: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const body = { email, password: PASSWORD, firstName: "Ada", lastName: "Lovelace", ...overrides };
  const { response, sent } = await serve("POST", "/api/users/register", { body });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  const auth = (await response.json()) as AuthResponse;
  return { ...auth, email: String(body.email), verifyToken: tokenOf(sent.notifications[0]) };
}
