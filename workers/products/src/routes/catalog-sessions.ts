import { Headers, type Product } from "@edge-shop/contracts";
import {
  type AppError,
  bookmarkHeaders,
  errors,
  type RequestSessions,
  withRequestSessions,
} from "@edge-shop/worker-kit";
import type { Context } from "hono";
import { publishChange } from "../cache/catalog-cache";
import { type Db, database } from "../db/client";
import type { WriteResult } from "../db/queries/products";
import { etagOf } from "./preconditions";

// The catalog database read through D1 sessions per request (read replicas with read-your-writes, issue 27):
// see docs/architecture.md, "Read replicas".

/** The response header and the request header (a read's anchor), as the routes document them. */
export const { response: bookmarkHeader, request: bookmarkRequestHeader } = bookmarkHeaders(
  "X-Catalog-Bookmark",
  "catalog database",
  "no D1 read made for this client (a cache miss, an admin's `includeInactive` read) misses what it last saw or wrote",
);

/**
 * Runs `work` with this request's catalog sessions (a read from the client's bookmark, a write from the primary;
 * opened only when D1 is read), then sets their newest bookmark on the response.
 */
export function withCatalogSessions<T, E extends { Bindings: Env }>(
  c: Context<E>,
  work: (sessions: RequestSessions) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  return withRequestSessions(c, c.env.DB, Headers.catalogBookmark, work, options);
}

/**
 * An admin's write of a product, in a session at the primary: runs `write`, publishes the new catalog and product
 * versions (so the next read here misses the old lists and the product's old page), and answers the product and
 * its ETag, the bookmark set. A write that found no product throws `missing(db)` (a 404 by default), no bookmark.
 */
export function writeProduct<E extends { Bindings: Env }>(
  c: Context<E>,
  write: (db: Db) => Promise<WriteResult>,
  missing: (db: Db) => Promise<AppError> = async () => errors.notFound("Product"),
): Promise<{ product: Product; etag: string }> {
  return withCatalogSessions(
    c,
    async (sessions) => {
      const db = database(sessions.reads());
      const result = await write(db);
      await publishChange(c.env, c.executionCtx, result);
      if (!result.product) throw await missing(db);
      return { product: result.product, etag: etagOf(result.products[0]?.version ?? 0) };
    },
    { write: true },
  );
}
