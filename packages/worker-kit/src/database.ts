import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { withD1Stats } from "./d1-stats";

/**
 * `database(d1)` for a service: the drizzle handle over its D1 binding, built on first use and then reused.
 * drizzle() walks the whole relational schema each time it is called; the binding lives as long as the isolate
 * and the handle holds no per-request state (each query prepares its own statement). A WeakMap lets the handle
 * go with its binding.
 */
export function drizzleHandles<S extends Record<string, unknown>>(
  schema: S,
): (d1: D1Database) => DrizzleD1Database<S> & { $client: D1Database } {
  const handles = new WeakMap<D1Database, DrizzleD1Database<S> & { $client: D1Database }>();
  return (binding) => {
    const d1 = withD1Stats(binding);
    let db = handles.get(d1);
    if (!db) {
      db = drizzle(d1, { schema });
      handles.set(d1, db);
    }
    return db;
  };
}
