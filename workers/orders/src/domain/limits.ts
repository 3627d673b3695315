// The order policy each environment sets in wrangler.toml (vars), with the defaults the README documents.

/** ORDER_TTL_MINUTES as milliseconds (default 30 minutes when unset or not a positive number). */
export function orderTtlMs(env: Env): number {
  const minutes = Number(env.ORDER_TTL_MINUTES);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * 60_000;
}

/** MAX_PENDING_ORDERS (default 3 when unset or not a positive integer). */
export function maxPendingOrders(env: Env): number {
  const max = Number(env.MAX_PENDING_ORDERS);
  return Number.isInteger(max) && max > 0 ? max : 3;
}
