import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema>;

// drizzle() walks the whole relational schema each time it is called, so the handle is built once per D1
// binding and kept (the binding lives as long as the isolate; the handle holds no per-request state).
const handles = new WeakMap<D1Database, Db>();

/** The drizzle handle over this service's D1 database (built on first use, then reused). */
export function database(d1: D1Database): Db {
  const known = handles.get(d1);
  if (known) return known;
  const db = drizzle(d1, { schema });
  handles.set(d1, db);
  return db;
}
