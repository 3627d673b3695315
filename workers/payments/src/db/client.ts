import { drizzle } from "drizzle-orm/d1";

/** The drizzle handle of this service's D1. */
export function database(d1: D1Database) {
  return drizzle(d1);
}
export type Db = ReturnType<typeof database>;
