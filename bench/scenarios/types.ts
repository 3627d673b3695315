import type { Formula, Primitive } from "../lib/floors.ts";
import type { Step } from "../lib/load.ts";

/** One measured line of the table. */
export interface Scenario {
  id: string;
  title: string;
  /** Which direct socket it is driven against. */
  target: "bare" | "hono" | "gateway" | "gatewayStub" | "products";
  connections: number;
  /** Slow scenarios (hundreds of ms per request) measure at least this long, even with --quick. */
  minSeconds?: number;
  steps: Step[];
  /** Primitives: the cost this line measures. */
  primitive?: Primitive;
  /** Together lines: the ids of the shop scenarios whose floor's calls this line makes (scenarios/together.ts). */
  measuresFloorOf?: string[];
  /** Shop scenarios: the platform calls a request cannot avoid (averaged over the steps of a mix). */
  floor?: Formula;
  /**
   * Per cache-tally label, what a miss of that read adds to the floor, weighted by the label's share of the steps
   * (added in proportion to the misses the run saw: withMisses).
   */
  missExtra?: Record<string, Formula>;
  /** Share of the requests that write: the efficiency target is 0.8 for reads, 0.7 for writes, pro rata. */
  writeShare?: number;
  /** A line's own target, when its issue sets one (instead of the pro-rata one of `writeShare`). */
  minEfficiency?: number;
}
