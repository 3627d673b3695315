import { type EventDataOf, type EventEnvelope, type EventType, Queues } from "@edge-shop/contracts";
import {
  type Destinations,
  errorFields,
  log,
  newEvent,
  type OutboxedEvent,
  outboxInsert,
  publishCommitted,
} from "@edge-shop/worker-kit";
import { and, gte, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { outbox } from "../db/schema";

export const SERVICE = "users";

/** Logical queue names → this environment's producer bindings. */
export function destinations(env: Env): Destinations {
  return {
    [Queues.notifications]: env.NOTIFICATIONS_QUEUE,
    [Queues.orders]: env.ORDERS_QUEUE,
    [Queues.payments]: env.PAYMENTS_QUEUE,
    [Queues.carts]: env.CARTS_QUEUE,
  };
}

/**
 * Who acts on each event: account emails go to notifications; a deletion to every service that holds something
 * of the person.
 */
export const ROUTES: Record<Extract<EventType, `user.${string}`>, string[]> = {
  "user.registered": [Queues.notifications],
  "user.verification_requested": [Queues.notifications],
  "user.password_reset_requested": [Queues.notifications],
  "user.email_change_requested": [Queues.notifications],
  "user.email_changed": [Queues.notifications],
  "user.deleted": [Queues.orders, Queues.payments, Queues.notifications, Queues.carts],
};

type UserEventType = keyof typeof ROUTES;

/** A new event of this service, its destinations and the outbox insert to put in the batch of the change. */
export function outboxed<T extends UserEventType>(
  db: Db,
  type: T,
  data: EventDataOf<T>,
  correlationId: string,
) {
  const event = newEvent(type, data, { source: SERVICE, correlationId }) as EventEnvelope;
  const published: OutboxedEvent = { event, destinations: ROUTES[type] };
  return { event, published, insert: outboxInsert(db, event, published.destinations) };
}

// Where an event's one-time token sits in its body (account links, and the registration's verification).
const TOKEN_PATHS = ["$.data.token", "$.data.verification.token"];

/**
 * Removes the one-time tokens from outbox rows once they are sent: the queue has the message, and a token must
 * not rest in D1 any longer than it must (only its hash does). `which`: the events just published, or the rows
 * sent since a time (the scheduled sweep: an index range on `sent_at`, not a scan of the whole outbox).
 */
export function forgetSentTokens(db: Db, which: { eventIds: string[] } | { sentSince: number }) {
  const paths = sql.join(
    TOKEN_PATHS.map((path) => sql`${path}`),
    sql`, `,
  );
  const holdsToken = or(...TOKEN_PATHS.map((path) => isNotNull(sql`json_extract(${outbox.body}, ${path})`)));
  return db
    .update(outbox)
    .set({ body: sql`json_remove(${outbox.body}, ${paths})` })
    .where(
      and(
        "eventIds" in which ? inArray(outbox.eventId, which.eventIds) : gte(outbox.sentAt, which.sentSince),
        isNotNull(outbox.sentAt),
        holdsToken,
      ),
    );
}

/**
 * Publishes events whose outbox rows just committed (from memory), then forgets the tokens they carried. Never
 * throws: what is not sent stays in the outbox for the scheduled sweep, which forgets its tokens once sent.
 */
export async function publish(db: Db, env: Env, events: OutboxedEvent[]): Promise<void> {
  try {
    await publishCommitted(db, destinations(env), events);
    await forgetSentTokens(db, { eventIds: events.map(({ event }) => event.id) });
  } catch (error) {
    log("warn", "publish deferred to the outbox sweep", { service: SERVICE, ...errorFields(error) });
  }
}

/**
 * Publishes after the response has gone (an answer never waits for an email), kept alive with `waitUntil`.
 * Nothing to publish (`undefined`) publishes nothing.
 */
export function publishAfterResponse(
  ctx: Pick<ExecutionContext, "waitUntil">,
  db: Db,
  env: Env,
  events: (OutboxedEvent | undefined)[],
): void {
  const ready = events.filter((event): event is OutboxedEvent => event !== undefined);
  if (ready.length > 0) ctx.waitUntil(publish(db, env, ready));
}
