import { z } from "@hono/zod-openapi";
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

/**
 * Sets `header` on the response to the newest bookmark of `sessions` (bookmarks sort by time), or the client's own
 * when none of them ran a query.
 */
export function answerBookmark(c: Context, header: string, ...sessions: D1DatabaseSession[]): void {
  let newest = sentBookmark(c, header);
  for (const session of sessions) {
    const bookmark = session.getBookmark();
    if (bookmark && (newest === undefined || bookmark > newest)) newest = bookmark;
  }
  if (newest) c.header(header, newest);
}

/**
 * A session where drizzle expects the database: drizzle's D1 driver only prepares statements and runs batches,
 * which a session does (it lacks `exec`, used by migrations only).
 */
export function sessionAsDatabase(session: D1DatabaseSession): D1Database {
  return session as unknown as D1Database;
}

/**
 * One request's D1 sessions, each opened on first use, so a request answered from a cache opens none: `reads()`
 * is `requestSession`'s, `primary()` one at the primary for a read that found its session behind something it
 * knows was written (a cache's version). `answer()` sets the newest bookmark of those opened on the response.
 */
export class RequestSessions {
  private session: D1DatabaseSession | undefined;
  private primarySession: D1DatabaseSession | undefined;

  constructor(
    private readonly c: Context,
    private readonly d1: D1Database,
    private readonly header: string,
    private readonly options: { write?: boolean } = {},
  ) {}

  /** The request's session: from the client's bookmark, else any replica; at the primary for a write. */
  reads(): D1Database {
    this.session ??= requestSession(this.c, this.d1, this.header, this.options);
    return sessionAsDatabase(this.session);
  }

  /** A session that starts at the primary, which is never behind. */
  primary(): D1Database {
    this.primarySession ??= this.d1.withSession("first-primary");
    return sessionAsDatabase(this.primarySession);
  }

  /** Sets the header to the newest bookmark of the sessions opened (the client's own when none was). */
  answer(): void {
    const opened = [this.session, this.primarySession].filter((s) => s !== undefined);
    answerBookmark(this.c, this.header, ...opened);
  }
}

/**
 * Runs `work` with this request's sessions, then sets their newest bookmark on the response (not when `work`
 * throws: a refused request answers none).
 */
export async function withRequestSessions<T>(
  c: Context,
  d1: D1Database,
  header: string,
  work: (sessions: RequestSessions) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  const sessions = new RequestSessions(c, d1, header, options);
  const result = await work(sessions);
  sessions.answer();
  return result;
}

/**
 * A bookmark header as routes document it: `response` (the header answered, named as written, e.g.
 * `X-Orders-Bookmark`) and `request` (the one sent back; hono validates request headers in lower case).
 * `what` names the database, `why` says what sending it back guarantees.
 */
export function bookmarkHeaders<Name extends string>(name: Name, what: string, why: string) {
  const answered = z
    .string()
    .optional()
    .openapi({
      description:
        `The ${what}'s D1 bookmark after this request. Send the last one received back in the same header: ` +
        `the next read is then answered by a replica at least that recent, so ${why}.`,
    });
  const sent = z
    .string()
    .max(512)
    .optional()
    .openapi({ description: `The last \`${name}\` this client received (ignored if malformed)` });
  return {
    response: z.object({ [name]: answered } as Record<Name, typeof answered>),
    request: z.object({ [name.toLowerCase()]: sent } as Record<Lowercase<Name>, typeof sent>),
  };
}
