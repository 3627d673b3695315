import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** The drizzle handle over this service's D1 database. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof database>;
