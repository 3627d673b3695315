import { drizzleHandles } from "@edge-shop/worker-kit";
import * as schema from "./schema";

/** The drizzle handle over the carts database (built on first use, then reused). */
export const database = drizzleHandles(schema);

export type Db = ReturnType<typeof database>;
