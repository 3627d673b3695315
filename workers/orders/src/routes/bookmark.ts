import { Headers } from "@edge-shop/contracts";
import { answerBookmark, requestSession, sessionAsDatabase } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { database } from "../db/client";

// The orders database read through a D1 session per request (read replicas with read-your-writes, issue 27):
// see docs/architecture.md, "Read replicas".

const description =
  "The orders database's D1 bookmark after this request. Send the last one received back in the same header: " +
  "the next read is then answered by a replica at least that recent, so a customer always sees their own orders.";

/** The response header, as the routes document it. */
export const bookmarkHeader = z.object({
  "X-Orders-Bookmark": z.string().optional().openapi({ description }),
});

/** The request header (a read's anchor), as the routes document it. */
export const bookmarkRequestHeader = z.object({
  "x-orders-bookmark": z.string().max(512).optional().openapi({
    description: "The last `X-Orders-Bookmark` this client received (ignored if malformed)",
  }),
});

/**
 * Runs `work` on a drizzle handle over this request's D1 session (a read from the client's bookmark, a write from
 * the primary), then sets the session's newest bookmark on the response.
 */
export async function withOrdersSession<T>(
  c: Context,
  d1: D1Database,
  work: (db: ReturnType<typeof database>) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  const session = requestSession(c, d1, Headers.ordersBookmark, options);
  const result = await work(database(sessionAsDatabase(session)));
  answerBookmark(c, Headers.ordersBookmark, session);
  return result;
}
