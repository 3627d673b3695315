import { Headers } from "@edge-shop/contracts";
import { bookmarkHeaders, withRequestSessions } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import { database } from "../db/client";

// The orders database read through a D1 session per request (read replicas with read-your-writes, issue 27):
// see docs/architecture.md, "Read replicas".

/** The response header and the request header (a read's anchor), as the routes document them. */
export const { response: bookmarkHeader, request: bookmarkRequestHeader } = bookmarkHeaders(
  "X-Orders-Bookmark",
  "orders database",
  "a customer always sees their own orders",
);

/**
 * Runs `work` on a drizzle handle over this request's D1 session (a read from the client's bookmark, a write from
 * the primary), then sets the session's newest bookmark on the response.
 */
export function withOrdersSession<T>(
  c: Context,
  d1: D1Database,
  work: (db: ReturnType<typeof database>) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  return withRequestSessions(
    c,
    d1,
    Headers.ordersBookmark,
    (sessions) => work(database(sessions.reads())),
    options,
  );
}
