import type { Miniflare } from "miniflare";
import type { Formula, Primitive } from "../lib/floors.ts";
import type { LoadResult, Step } from "../lib/load.ts";

/** What a flash sale sold, counted in D1 after the line (not from the answers), and how fast it sold out. */
export interface SaleOutcome {
  units: number;
  /** Units sold according to products' D1 (the product's stock gone, and its reservation lines). */
  sold: number;
  /** Order responses: created (201) and refused with `insufficient_stock` (409). */
  created: number;
  refused: number;
  /** From the first order sent to the last one created. */
  sellOutSeconds: number;
  /** p99 of the created orders' latency, ms. */
  createdP99: number;
}

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
  /** Catalog lines (`--catalog`): the catalog size it runs at, its shape, and the D1 routes it is judged by. */
  catalog?: CatalogLine;
  /** Instead of a timed load: this many requests in all, evenly spread over the connections. */
  requests?: number;
  /** Seconds after which a request is a timeout (an error); default 30. */
  timeoutSeconds?: number;
  /** What the warm-up sends instead of `steps` (a flash sale must not sell its stock while warming up). */
  warmupSteps?: Step[];
  /** A second load run beside this one, from the same start until this one ends (browsing during a sale). */
  beside?: { connections: number; steps: Step[] };
  /** Per response status (`POST 201`), the floor of a request that answered it: the floor is their mix. */
  outcomeFloors?: Record<string, Formula>;
  /** Run before the warm-up, on the stack the line is measured on (e.g. create the sale's product and buyers). */
  prepare?: () => Promise<void>;
  /** Run after the measurement: what went wrong (each an error of the line) and, for a sale, what it sold. */
  check?: (
    mf: Miniflare,
    result: Pick<LoadResult, "statuses" | "p99ByStatus">,
  ) => Promise<{ problems: string[]; sale?: SaleOutcome }>;
}

/** What a catalog line is: one shape of issue 28 at one catalog size. */
export interface CatalogLine {
  size: number;
  shape: string;
  /** `cached`: a cache hit (must cost what it costs on the demo catalog); `read`: uncached; `write`. */
  kind: "cached" | "read" | "write";
  /** The request routes (`GET /api/categories`) or RPC methods (`rpc reserve`) whose D1 rows are its figures. */
  d1Routes: string[];
}
