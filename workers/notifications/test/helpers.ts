import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { type EventDataOf, type EventEnvelope, type EventType, parseEvent } from "@edge-shop/contracts";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import worker from "../src/index";

/** A unique id for test data: storage is not reset between the tests of a file. */
export function uid(prefix = "u"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/** A well-formed event envelope (validated, so a test cannot build one the consumer would reject). */
export function event<T extends EventType>(type: T, data: EventDataOf<T>, id = uid("evt")): EventEnvelope<T> {
  const envelope = {
    id,
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: "test",
    correlationId: id,
    data,
  };
  return parseEvent(envelope) as EventEnvelope<T>;
}

export type Delivery = QueueResult & { retryDelays: (number | undefined)[] };

/**
 * Runs the queue handler on one batch of bodies, each with the given delivery attempt number.
 * `getQueueResult` of @cloudflare/vitest-plugin 1.5 drops the `delaySeconds` given to `retry()`,
 * so the delays are read from a spy on each message's `retry` instead (`retryDelays`).
 */
export async function deliver(
  bodies: unknown[],
  options: { attempts?: number; env?: Env } = {},
): Promise<Delivery> {
  const batch = createMessageBatch(
    "notifications-queue",
    bodies.map((body, i) => ({
      id: uid(`msg${i}`),
      timestamp: new Date(),
      attempts: options.attempts ?? 1,
      body,
    })),
  );
  const retryDelays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (retryOptions?: QueueRetryOptions) => {
      retryDelays.push(retryOptions?.delaySeconds);
      retry(retryOptions);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, options.env ?? env);
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}

/** The delivery-log rows of one event, read straight from D1. */
export async function rowsOf(eventId: string) {
  const { results } = await env.DB.prepare(
    "SELECT channel, recipient, subject, body, html, status, attempts, last_error AS lastError, event_type AS eventType FROM notifications WHERE event_id = ? ORDER BY channel",
  )
    .bind(eventId)
    .all<{
      channel: string;
      recipient: string;
      subject: string;
      body: string;
      html: string | null;
      status: string;
      attempts: number;
      lastError: string | null;
      eventType: string;
    }>();
  return results;
}

/** A request to the service as the gateway forwards it, on behalf of a user. */
export async function asUser(userId: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = await forwardedAs({ userId, role: "user" }, init.headers);
  if (init.body) headers.set("content-type", "application/json");
  return exports.default.fetch(`http://notifications${path}`, { ...init, headers });
}

/** Sets a user's preferences through the API, failing the test when refused. */
export async function setPreferences(userId: string, body: Record<string, unknown>): Promise<void> {
  const response = await asUser(userId, "/api/notifications/preferences", {
    method: "PATCH",
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`preferences refused: ${await response.text()}`);
}

/** The env with real HTTP providers configured (their fetches must be stubbed by the test). */
export function httpEnv(): Env {
  return {
    ...env,
    EMAIL_PROVIDER: "http",
    EMAIL_API_URL: "https://email.test/send",
    EMAIL_API_KEY: "test-email-key",
    SMS_PROVIDER: "http",
    SMS_API_URL: "https://sms.test/Messages.json",
    SMS_ACCOUNT_SID: "AC123",
    SMS_AUTH_TOKEN: "test-sms-token",
  };
}

/** Answers outbound requests to known provider hosts with `respond`, recording them; anything else throws. */
export function stubProviders(
  spy: {
    mockImplementation(fn: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>): unknown;
  },
  respond: (request: Request) => Response | Promise<Response>,
): Request[] {
  const seen: Request[] = [];
  spy.mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    if (host !== "email.test" && host !== "sms.test")
      throw new Error(`unexpected outbound request to ${request.url}`);
    seen.push(request.clone());
    return respond(request);
  });
  return seen;
}
