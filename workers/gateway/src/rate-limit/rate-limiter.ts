import { DurableObject } from "cloudflare:workers";
import { type Decision, hit, type Policy, type WindowState } from "./sliding-window";

/**
 * One object per client IP. Durable Objects run one request at a time per object (input gates), and the
 * synchronous SQLite-backed KV API persists each count before the answer leaves, so parallel requests are
 * counted exactly and an evicted object resumes its window from storage.
 */
export class RateLimiter extends DurableObject {
  hit(policy: Policy): Decision {
    const key = `window:${policy.name}`;
    const stored = this.ctx.storage.kv.get<WindowState>(key);
    const result = hit(policy, stored, Date.now());
    if (result.decision.allowed) this.ctx.storage.kv.put(key, result.state);
    return result.decision;
  }
}
