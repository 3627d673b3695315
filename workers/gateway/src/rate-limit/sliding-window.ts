export interface Policy {
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Counts of the current fixed window and the one before it: the sliding-window-counter approximation. */
export interface WindowState {
  windowStart: number;
  current: number;
  previous: number;
}

export interface Decision {
  allowed: boolean;
  /** How many requests were counted: 1, or up to the number asked for when the gateway leases permits. */
  granted: number;
  limit: number;
  remaining: number;
  /** Seconds until the window has room again (the `t` of the RateLimit field). */
  resetSeconds: number;
  windowSeconds: number;
  policy: string;
}

/** Parses `<limit>/<window seconds>`, e.g. `1000/900`. */
export function parsePolicy(name: string, value: string): Policy {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) throw new Error(`rate-limit policy ${name} must look like <limit>/<seconds>, got "${value}"`);
  return { name, limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

function rolled(state: WindowState | undefined, now: number, windowMs: number): WindowState {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  if (!state) return { windowStart, current: 0, previous: 0 };
  if (state.windowStart === windowStart) return state;
  const previous = state.windowStart === windowStart - windowMs ? state.current : 0;
  return { windowStart, current: 0, previous };
}

/**
 * Decides one request, or up to `wanted` of them at once (all that fit, at least one), and returns the new
 * state. The estimate weights the previous window by the part of it still inside the sliding window; a
 * refused request is not counted, so a client that backs off recovers.
 */
export function hit(
  policy: Policy,
  state: WindowState | undefined,
  now: number,
  wanted = 1,
): { state: WindowState; decision: Decision } {
  const windowMs = policy.windowSeconds * 1000;
  const next = rolled(state, now, windowMs);
  const elapsed = (now - next.windowStart) / windowMs;
  const estimate = next.previous * (1 - elapsed) + next.current;
  const room = Math.floor(policy.limit - estimate);
  const granted = Math.max(0, Math.min(Math.max(1, Math.floor(wanted)), room));
  const allowed = granted > 0;
  const counted = allowed ? { ...next, current: next.current + granted } : next;
  const used = counted.previous * (1 - elapsed) + counted.current;
  const remaining = Math.max(0, Math.floor(policy.limit - used));
  const untilWindowEnds = Math.ceil((next.windowStart + windowMs - now) / 1000);
  const resetSeconds = allowed ? untilWindowEnds : secondsUntilRoom(policy, counted, now, windowMs);
  return {
    state: counted,
    decision: {
      allowed,
      granted,
      limit: policy.limit,
      remaining,
      resetSeconds,
      windowSeconds: policy.windowSeconds,
      policy: policy.name,
    },
  };
}

// When refused: how long until the weighted estimate drops below the limit (the previous window slides out,
// or, failing that, the current window becomes the previous one).
function secondsUntilRoom(policy: Policy, state: WindowState, now: number, windowMs: number): number {
  const windowEnd = state.windowStart + windowMs;
  if (state.previous > 0 && state.current < policy.limit) {
    // previous * (1 - (t - start)/w) + current + 1 <= limit  →  t >= start + w * (1 - (limit - current - 1)/previous)
    const room = policy.limit - state.current - 1;
    const t = state.windowStart + windowMs * (1 - room / state.previous);
    if (t <= windowEnd) return Math.max(1, Math.ceil((t - now) / 1000));
  }
  // Next window: this window's count weighs in as `previous`, falling linearly.
  const room = policy.limit - 1;
  const t = windowEnd + windowMs * (1 - room / Math.max(state.current, 1));
  return Math.max(1, Math.ceil((Math.max(t, windowEnd) - now) / 1000));
}
