import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema>;

/** The drizzle handle over this worker's D1 database. */
export function database(d1: D1Database): Db {
  return drizzle(d1, { schema });
}
