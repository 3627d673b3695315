import type { Formula, Primitive } from "../lib/floors.ts";
import type { Step } from "../lib/load.ts";
import type { ShopStep } from "./shop-steps.ts";
import type { Scenario } from "./types.ts";

// The floors add up primitives measured one kind at a time, each in a request of its own. A request that makes
// several calls costs the runtime more than that sum, with no code of ours involved: a cached read's calls (a
// Durable Object call, a hop, a KV get, two log lines) made in one request measured 871 µs where their sum said
// 665; five hops at once to five workers 477–547 µs where 5 × one hop said 432–474. A "together" line makes a
// scenario's platform calls, and nothing else, in one request of the primitive worker per step, in the
// scenario's order, asking one worker per service: the floor of that scenario measured in its own shape.

/** The worker each step's hop goes to (1–6, one per service), by the step's label; several mean at once. */
const FAR_ENDS: Record<string, number[]> = {
  "gateway → stub": [1],
  "gateway → stub (token)": [1],
  list: [1],
  "list (unique query)": [1],
  detail: [1],
  search: [1],
  "search (unique query)": [1],
  categories: [1],
  order: [3],
  "cart order": [3],
  pay: [4],
  "cart add": [6],
  "cart read": [6],
  health: [1, 2, 3, 4, 5, 6],
  media: [],
};

// The order of a request's calls: the gateway's (rate limit, token), the hop, the service's reads and writes,
// its events, the log lines (where a call runs, near or far end, is not copied: only which calls, how many).
const ORDER: Primitive[] = [
  "do",
  "ed25519",
  "hop",
  "rpc",
  "kv",
  "cache",
  "cacheJson",
  "d1Read",
  "d1Page",
  "d1Search",
  "kvPut",
  "d1Batch",
  "queue",
  "log",
];

/** `?calls=` of one step: each call of its floor as many times as the floor counts it. */
export function callsOf(floor: Formula, farEnds: number[]): string {
  const calls: string[] = [];
  for (const p of Object.keys(floor) as Primitive[]) {
    if (p !== "hono" && !ORDER.includes(p)) throw new Error(`a together line cannot make ${p}`);
  }
  for (const p of ORDER) {
    const n = floor[p] ?? 0;
    if (!Number.isInteger(n)) throw new Error(`${p} × ${n}: a step's calls are whole`);
    if (p === "hop" && n > 0) {
      if (n !== farEnds.length) throw new Error(`${n} hops but ${farEnds.length} far ends`);
      calls.push(n === 1 ? `hop:${farEnds[0]}` : `fan:${n}`);
    } else {
      for (let i = 0; i < n; i++) calls.push(p);
    }
  }
  return calls.join(",");
}

const answered: Step["check"] = (body) =>
  typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true ? undefined : "not ok";

/** A shop line and the steps it was built from (their floors and labels make its together line). */
export interface ShopLine {
  scenario: Scenario;
  steps: ShopStep[];
}

function togetherPath({ step, floor }: ShopStep): string {
  const farEnds = FAR_ENDS[step.label ?? ""];
  if (!farEnds) throw new Error(`no far end for the step labelled ${step.label}`);
  return `/together?calls=${callsOf(floor, farEnds)}`;
}

/**
 * One together line per distinct sequence of calls among `lines` (a cached list page and a cached product page
 * make the same calls: one line measures the floor of both). Login keeps the sum of its primitives: one argon2id
 * is 99 % of its floor, and a together line of it would add half a minute to a run to say the same.
 */
export function togetherLines(lines: ShopLine[], connections: number): Scenario[] {
  const byCalls = new Map<string, { paths: string[]; ids: string[]; titles: string[] }>();
  for (const { scenario, steps } of lines) {
    if (steps.some((s) => (s.floor.argon2id ?? 0) > 0)) continue;
    const paths = steps.map(togetherPath);
    const key = paths.join(" ");
    const group = byCalls.get(key) ?? { paths, ids: [], titles: [] };
    group.ids.push(scenario.id);
    group.titles.push(scenario.title);
    byCalls.set(key, group);
  }
  return [...byCalls.values()].map(({ paths, ids, titles }) => ({
    id: `together:${ids.join("+")}`,
    title: `the calls of ${titles.join(" / ")}, together`,
    target: "hono",
    connections,
    steps: paths.map((path) => ({ path, expect: 200, check: answered, label: "together" })),
    measuresFloorOf: ids,
  }));
}
