import { DurableObject } from "cloudflare:workers";
import { type Decision, hit, type Policy, type WindowState } from "./sliding-window";

/**
 * One object per client IP. Durable Objects run one request at a time per object (input gates), and the
 * synchronous SQLite-backed KV API persists each count before the answer leaves, so parallel requests are
 * counted exactly and an evicted object resumes its window from storage.
 *
 * The object is the only writer of its storage, so a window read once stays in memory: each call then costs
 * one write and no read.
 */
export class RateLimiter extends DurableObject {
  readonly #windows = new Map<string, WindowState | undefined>();

  #window(key: string): WindowState | undefined {
    if (!this.#windows.has(key)) this.#windows.set(key, this.ctx.storage.kv.get<WindowState>(key));
    return this.#windows.get(key);
  }

  /** Counts one request, or grants up to `wanted` permits at once to a gateway that leases them (leases.ts). */
  hit(policy: Policy, wanted = 1): Decision {
    const key = `window:${policy.name}`;
    const result = hit(policy, this.#window(key), Date.now(), wanted);
    if (result.decision.allowed) {
      this.ctx.storage.kv.put(key, result.state);
      this.#windows.set(key, result.state);
    }
    return result.decision;
  }
}
