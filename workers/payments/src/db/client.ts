import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

export type Db = DrizzleD1Database<Record<string, never>>;

// drizzle() is built once per D1 binding and kept (the binding lives as long as the isolate and the handle
// holds no per-request state): the idempotency middleware and the handler share one per request.
const handles = new WeakMap<D1Database, Db>();

/** The drizzle handle of this service's D1 (built on first use, then reused). */
export function database(d1: D1Database): Db {
  const known = handles.get(d1);
  if (known) return known;
  const db = drizzle(d1);
  handles.set(d1, db);
  return db;
}
