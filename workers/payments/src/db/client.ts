import { drizzleHandles } from "@edge-shop/worker-kit";

/**
 * The drizzle handle of this service's D1 (built on first use, then reused): the idempotency middleware and the
 * handler share one. Its queries name their tables themselves: no relational schema.
 */
export const database = drizzleHandles({});

export type Db = ReturnType<typeof database>;
