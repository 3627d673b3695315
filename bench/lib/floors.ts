// The floor of a scenario: what the platform calls it cannot avoid cost, added up from the primitives
// measured in the same run. A request making several calls costs the runtime more than that sum, so a line with a
// together line (scenarios/together.ts: the same calls made in one request) is judged by that line's cost, and
// this sum is printed beside it. Costs are µs of the single workerd thread per request (1e6 / req/s at
// saturation). Every primitive but the bare Worker and bare Hono is measured as a Hono route that makes that
// one call, so its increment is (route − bare Hono): the call alone, including the far end's work where
// there is one (the Hono worker behind a hop, the Durable Object, the queue consumer's ack).

export const PRIMITIVES = [
  "bare",
  "hono",
  "hop",
  "rpc",
  "do",
  "log",
  "ed25519",
  "kv",
  "cache",
  "cacheJson",
  "kvPut",
  "d1Read",
  "d1Page",
  "d1Search",
  "d1Batch",
  "queue",
  "argon2id",
] as const;
export type Primitive = (typeof PRIMITIVES)[number];

/** How many of each primitive a request needs; "hono" is the base (a Hono worker answering at all). */
export type Formula = Partial<Record<Primitive, number>>;

export const SYMBOLS: Record<Primitive, string> = {
  bare: "worker",
  hono: "hono",
  hop: "hop",
  rpc: "rpc",
  do: "do",
  log: "log",
  ed25519: "ed25519",
  kv: "kv",
  cache: "cache",
  cacheJson: "cache4k",
  kvPut: "kvput",
  d1Read: "d1read",
  d1Page: "d1page",
  d1Search: "d1search",
  d1Batch: "d1batch",
  queue: "queue",
  argon2id: "argon2id",
};

/** Absolute µs per request of each primitive route, as measured. */
export type Costs = Partial<Record<Primitive, number>>;

/** µs a primitive adds on top of a bare Hono worker (the bases are absolute); never below zero. */
export function increment(costs: Costs, p: Primitive): number | undefined {
  const own = costs[p];
  if (own === undefined) return undefined;
  if (p === "bare" || p === "hono") return own;
  const base = costs.hono;
  return base === undefined ? undefined : Math.max(0, own - base);
}

/** The floor in µs, or undefined when a primitive it needs was not measured. */
export function floorOf(formula: Formula, costs: Costs): number | undefined {
  let total = 0;
  for (const [p, n] of Object.entries(formula) as [Primitive, number][]) {
    const each = increment(costs, p);
    if (each === undefined) return undefined;
    total += n * each;
  }
  return total;
}

function count(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, "");
}

/** e.g. `hono + do + hop + kv`, `hono + 5×hop`; a share below 0.005 is left out of the text (not the sum). */
export function formulaText(formula: Formula): string {
  return PRIMITIVES.filter((p) => (formula[p] ?? 0) >= 0.005)
    .map((p) => {
      const n = formula[p] ?? 0;
      return n === 1 ? SYMBOLS[p] : `${count(n)}×${SYMBOLS[p]}`;
    })
    .join(" + ");
}

/** `base` plus `n` times `extra`. */
export function plus(base: Formula, extra: Formula, n: number): Formula {
  const sum: Formula = { ...base };
  for (const [p, k] of Object.entries(extra) as [Primitive, number][]) sum[p] = (sum[p] ?? 0) + n * k;
  return sum;
}

/**
 * A floor with the cache misses a run saw: `missExtra` holds, per cache-tally label, what a miss of that read
 * adds, weighted by the label's share of the requests; each is added in the share of that label's responses
 * that answered `X-Cache: MISS`.
 */
export function withMisses(
  floor: Formula,
  missExtra: Record<string, Formula> | undefined,
  cache: Record<string, { hit: number; miss: number }>,
): Formula {
  let total = floor;
  for (const [label, extra] of Object.entries(missExtra ?? {})) {
    const tally = cache[label];
    if (tally && tally.miss > 0) total = plus(total, extra, tally.miss / (tally.hit + tally.miss));
  }
  return total;
}

/** The per-request average of several formulas (a mix of requests). */
export function averageOf(formulas: Formula[]): Formula {
  return formulas.reduce((sum, f) => plus(sum, f, 1 / formulas.length), {});
}

// The floors of the shop's requests. Through the gateway every /api request pays: the gateway itself (a
// Hono worker), the rate limiter's Durable Object call, and a service-binding hop to the service; a request
// with a token also pays one Ed25519 verify. Every worker that answers an HTTP request writes one JSON log line
// (DESIGN: request ids across services), so the gateway's and the service's lines are in the floor: the
// runtime's cost of taking a line, not the code that builds it. What the service must then do per DESIGN.md
// follows.
const API = { hono: 1, do: 1, hop: 1, log: 2 } satisfies Formula;
const AUTHED = { ...API, ed25519: 1 } satisfies Formula;

export const FLOORS = {
  /** The gateway in front of a stub service that answers at once and logs nothing: the gateway's own floor. */
  gatewayAlone: { ...API, log: 1 },
  gatewayAloneAuthed: { ...AUTHED, log: 1 },
  /**
   * /health is counted by the rate limit and answered from the isolate's answer of the last 2 s (the six
   * services are asked at most that often, a share per request this bench rounds to nothing); the gateway logs
   * the request.
   */
  health: { hono: 1, do: 1, log: 1 },
  /** The products service alone (its own socket, no gateway): a Hono worker, one KV get, its log line. */
  productsAlone: { hono: 1, kv: 1, log: 1 },
  /** A list that misses, on the products service alone: the uncached list's floor without the gateway's part. */
  productsAloneMiss: { hono: 1, kv: 1, log: 1, d1Page: 1, kvPut: 1 },
  /** A cached read needs one KV get. */
  cachedRead: { ...API, kv: 1 },
  /**
   * A hot picture: the gateway answers GET /media/<key> from the Cache API (one hit), with its log line; no rate
   * limit, no hop, no R2.
   */
  media: { hono: 1, cache: 1, log: 1 },
  /**
   * An uncached list: the cache lookup that misses, the page and its total (DESIGN's pagination needs it) in one
   * D1 batch, and the fill of the cache.
   */
  uncachedList: { ...API, kv: 1, d1Page: 1, kvPut: 1 },
  /** An uncached search: the same, with the page read by a full-text query instead of an index walk. */
  uncachedSearch: { ...API, kv: 1, d1Search: 1, kvPut: 1 },
  /**
   * Login: claim the password check (one guarded UPDATE that returns the account: the lock must hold under
   * parallel guesses), one argon2id, settle the check, sign a token (≈ one Ed25519 op), store the refresh token.
   */
  login: { ...API, argon2id: 1, ed25519: 1, d1Batch: 3 },
  /**
   * Order (DESIGN: Idempotency-Key, reservation by products, state change + outbox in one batch, publish, the
   * outbox row marked sent): claim the key, RPC to products and its reservation batch, the order batch, one
   * queue send, the outbox mark. Then, on the same workerd thread, the notifications consumer must handle
   * order.created: the customer's contact over RPC (a D1 read) and the delivery log write.
   */
  order: { ...AUTHED, rpc: 2, d1Read: 1, d1Batch: 5, queue: 1 },
  /**
   * An order refused for short stock (a flash sale once sold out): claim the key, the reserve RPC and its batch,
   * which fails and rolls back, the read batch that says why, and the stored 409 answer of the key.
   */
  orderRefused: { ...AUTHED, rpc: 1, d1Batch: 3, d1Read: 1 },
  /**
   * Pay: claim the key, read the order over RPC (a D1 read), claim the attempt, record it with its outbox,
   * send the event to notifications, tell orders over RPC (its one batch marks the order paid: the cheaper of
   * that call and a queue send plus its consumer's batch; DESIGN wants the order paid either way), mark the
   * outbox sent. Then notifications' consumer reads the contact over RPC and logs the delivery.
   */
  payment: { ...AUTHED, rpc: 3, d1Read: 2, d1Batch: 6, queue: 1 },
  /**
   * A guest cart's request (add an item, or read the cart): the gateway's part without a token, the cart's
   * Durable Object (one call: the add writes its storage, a read is served from the object's memory) and one
   * products quote over RPC, which reads the lines' products from D1 (live prices and stock, never a cache).
   */
  cart: { ...API, do: 2, rpc: 1, d1Read: 1 },
  /**
   * An order from a cart: the order's floor, and the two calls orders makes to carts (start the checkout, then
   * empty the cart), each an RPC and a Durable Object call.
   */
  cartOrder: { ...AUTHED, do: 3, rpc: 4, d1Read: 1, d1Batch: 5, queue: 1 },
} satisfies Record<string, Formula>;

/**
 * What a cached read adds when it misses: the D1 read of what it shows and the fill of the cache, as an uncached
 * list or search pays them. A scenario's floor adds it for the share of that read's responses that answered
 * `X-Cache: MISS` (withMisses). In the checkout mix every order changes stock, which moves the ordered products'
 * versions: their pages read after it must go to D1; lists and searches miss only when a product sells out or
 * comes back in stock (the list version), and after an admin's write. A floor that counted such misses as hits
 * would charge the code for the platform's work. The category list is left out (its misses are charged to the
 * code). The hit ratios are printed beside the table.
 */
export const MISS_EXTRA = {
  list: { d1Page: 1, kvPut: 1 },
  search: { d1Search: 1, kvPut: 1 },
  detail: { d1Read: 1, kvPut: 1 },
} satisfies Record<string, Formula>;
