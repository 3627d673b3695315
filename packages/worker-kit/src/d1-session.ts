import type { Context } from "hono";

// D1 read replication with read-your-writes (issue 27, docs/architecture.md "Read replicas"): a request's queries
// run in one D1 session, anchored at the bookmark the client sent back (so a replica answers only once it has
// caught up with what the client last saw or wrote), and the response carries the session's newest bookmark.
// Locally there are no replicas: the session changes nothing but the bookmark it hands out.

// D1's bookmarks are hex groups joined by dashes (`00000000-00000006-…`); anything else a client sends is ignored.
const BOOKMARK = /^[0-9a-f]{1,64}(-[0-9a-f]{1,64}){0,15}$/i;

/** The bookmark the client sent in `header`, if it looks like one. */
export function sentBookmark(c: Context, header: string): string | undefined {
  const sent = c.req.header(header);
  return sent !== undefined && sent.length <= 512 && BOOKMARK.test(sent) ? sent : undefined;
}

/**
 * A D1 session for this request. Reads start from the client's bookmark, else from any replica
 * ("first-unconstrained"); a write (`write: true`) starts at the primary, which is never behind.
 */
export function requestSession(
  c: Context,
  d1: D1Database,
  header: string,
  options: { write?: boolean } = {},
): D1DatabaseSession {
  if (options.write) return d1.withSession("first-primary");
  return d1.withSession(sentBookmark(c, header) ?? "first-unconstrained");
}

/** Sets `header` on the response to the session's newest bookmark (the client's own when it ran no query). */
export function answerBookmark(c: Context, header: string, session: D1DatabaseSession): void {
  const bookmark = session.getBookmark() ?? sentBookmark(c, header);
  if (bookmark) c.header(header, bookmark);
}

/**
 * A session where drizzle expects the database: drizzle's D1 driver only prepares statements and runs batches,
 * which a session does (it lacks `exec`, used by migrations only).
 */
export function sessionAsDatabase(session: D1DatabaseSession): D1Database {
  return session as unknown as D1Database;
}
