import type { RateLimiter } from "./rate-limiter";
import type { Decision, Policy } from "./sliding-window";

// Permits leased from a client's RateLimiter object, so that a busy client does not cost a Durable Object call
// per request. The object stays the one authority: it counts every permit it grants as used, so all isolates
// together never let through more than the limit. An isolate spends its permits for LEASE_MS at most; permits
// left when a lease runs out are lost (the client is limited a little early, never late). Lease sizes start at
// one and double while a client uses each lease up before it runs out, halve when it does not, and never exceed
// 1 % of the limit (at most MAX_LEASE): a client of a small policy (login: 10 a minute) is counted exactly, one
// call per request, and an occasional client never has permits to lose.
const LEASE_MS = 1000;
const MAX_LEASE = 64;
const MAX_LEASES = 10_000;

interface Lease {
  permits: number;
  /** What the object said remains beyond every permit it granted, for the RateLimit field. */
  remaining: number;
  resetAt: number;
  expiresAt: number;
  size: number;
  /** The object call in flight for this client: concurrent requests wait for it instead of each calling. */
  pending?: Promise<Decision>;
}

const leases = new Map<string, Lease>();

/** The largest lease a policy allows: 1 % of its limit, at least 1, at most MAX_LEASE. */
export function leaseCap(policy: Policy): number {
  return Math.min(MAX_LEASE, Math.max(1, Math.floor(policy.limit / 100)));
}

function nextSize(lease: Lease | undefined, policy: Policy, now: number): number {
  if (!lease) return 1;
  const usedUp = lease.permits === 0 && now < lease.expiresAt;
  const size = usedUp ? lease.size * 2 : Math.floor(lease.size / 2);
  return Math.min(leaseCap(policy), Math.max(1, size));
}

function fromLease(lease: Lease, policy: Policy, now: number): Decision {
  return {
    allowed: true,
    granted: 1,
    limit: policy.limit,
    remaining: lease.remaining + lease.permits,
    resetSeconds: Math.max(1, Math.ceil((lease.resetAt - now) / 1000)),
    windowSeconds: policy.windowSeconds,
    policy: policy.name,
  };
}

async function acquire(
  key: string,
  previous: Lease | undefined,
  limiter: () => DurableObjectStub<RateLimiter>,
  policy: Policy,
  now: number,
): Promise<Decision> {
  const size = nextSize(previous, policy, now);
  const lease: Lease = previous ?? { permits: 0, remaining: 0, resetAt: now, expiresAt: now, size };
  if (!previous) {
    if (leases.size >= MAX_LEASES) leases.clear();
    leases.set(key, lease);
  }
  lease.size = size;
  lease.permits = 0;
  const pending = limiter().hit(policy, size);
  lease.pending = pending;
  try {
    const decision = await pending;
    if (decision.allowed) {
      const at = Date.now();
      // This request takes the first permit; the rest wait here for the next requests of this client.
      lease.permits = decision.granted - 1;
      lease.remaining = decision.remaining;
      lease.resetAt = at + decision.resetSeconds * 1000;
      lease.expiresAt = at + LEASE_MS;
    }
    return { ...decision, granted: 1, remaining: decision.remaining + lease.permits };
  } finally {
    lease.pending = undefined;
  }
}

/**
 * Decides one request of a client under a policy: from this isolate's lease when it has a permit left, else
 * by asking the client's RateLimiter object (see the top of this file).
 */
export async function takePermit(
  client: string,
  policy: Policy,
  limiter: () => DurableObjectStub<RateLimiter>,
): Promise<Decision> {
  const key = `${policy.name}\n${policy.limit}/${policy.windowSeconds}\n${client}`;
  for (;;) {
    const lease = leases.get(key);
    const now = Date.now();
    if (lease && lease.permits > 0 && now < lease.expiresAt) {
      lease.permits--;
      return fromLease(lease, policy, now);
    }
    if (!lease?.pending) return acquire(key, lease, limiter, policy, now);
    const answered = await lease.pending.catch(() => undefined);
    // A refusal is the client's for everyone waiting on the same call; anything else, look again.
    if (answered && !answered.allowed) return answered;
  }
}
