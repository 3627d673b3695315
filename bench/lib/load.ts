import autocannon from "autocannon";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Headers = Record<string, string>;
/** Per connection, reset when its sequence of steps starts over (autocannon's request context). */
export type Context = Record<string, unknown>;

/** One request of a scenario and what its answer must look like. */
export interface Step {
  method?: Method;
  /** A fixed path, or one built per request (e.g. to miss the cache on purpose). */
  path: string | ((context: Context) => string | undefined);
  headers?: Headers | ((context: Context) => Headers);
  body?: (context: Context) => unknown;
  /** The status a response must have, or the statuses it may have (e.g. an order that may be refused). */
  expect: number | readonly number[];
  /** Returns what is wrong with a response of the expected status, or undefined when it is right. */
  check?: (body: unknown, headers: Headers, context: Context) => string | undefined;
  /** Counted under this label in the cache tally when the response has an X-Cache header. */
  label?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  steps: Step[];
  /** Instead of `seconds`: this many requests in all, spread evenly over the connections. */
  amount?: number;
  /** Stops the load early when it settles (e.g. the line this one runs beside has finished). */
  stop?: Promise<unknown>;
  /** Seconds after which a request counts as timed out (an error); default 30. */
  timeoutSeconds?: number;
}

export interface LoadResult {
  responses: number;
  seconds: number;
  rps: number;
  /** Raw latencies in ms (autocannon's own measurement, no coordinated-omission correction), µs resolution. */
  p50: number;
  p99: number;
  max: number;
  /** autocannon's histogram p99 (whole ms), for comparison. */
  autocannonP99: number;
  errors: number;
  errorSamples: string[];
  statuses: Record<string, number>;
  cache: Record<string, { hit: number; miss: number }>;
  /** p99 latency (ms) of the responses of each status (`201`). */
  p99ByStatus: Record<string, number>;
  /** Every response's latency in ms, sorted: rounds of one scenario are pooled from these. */
  latencies: Float64Array;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function expected(step: Step, status: number): boolean {
  return typeof step.expect === "number" ? status === step.expect : step.expect.includes(status);
}

function parse(body: string): unknown {
  try {
    return body === "" ? undefined : JSON.parse(body);
  } catch {
    return body;
  }
}

function lowerCased(headers: unknown): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries((headers ?? {}) as Record<string, unknown>))
    out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * Drives `steps` (in order, looping, per connection) at fixed concurrency for `seconds` with autocannon and
 * validates every response: an unexpected status or a failed shape check is an error, never a result.
 */
export function drive(options: LoadOptions): Promise<LoadResult> {
  let errors = 0;
  const errorSamples: string[] = [];
  const statuses: Record<string, number> = {};
  const cache: LoadResult["cache"] = {};
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const byStatus = new Map<number, number[]>();

  const fail = (reason: string) => {
    errors++;
    if (errorSamples.length < 5 && !errorSamples.includes(reason)) errorSamples.push(reason);
  };

  const requests = options.steps.map((step) => ({
    method: step.method ?? "GET",
    path: typeof step.path === "string" ? step.path : "/",
    setupRequest: (request: autocannon.Request, context: object) => {
      const ctx = context as Context;
      const path = typeof step.path === "string" ? step.path : step.path(ctx);
      // No path: this step cannot run (e.g. the order it pays failed): start the sequence over.
      if (path === undefined) return undefined as unknown as autocannon.Request;
      const headers = typeof step.headers === "function" ? step.headers(ctx) : (step.headers ?? {});
      const body = step.body ? JSON.stringify(step.body(ctx)) : undefined;
      return {
        ...request,
        path,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body }),
      };
    },
    onResponse: (status: number, body: string, context: object, rawHeaders: unknown) => {
      const key = `${step.method ?? "GET"} ${status}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
      const headers = lowerCased(rawHeaders);
      const label = step.label ?? "";
      const xCache = headers["x-cache"];
      if (xCache) {
        const tally = cache[label] ?? { hit: 0, miss: 0 };
        cache[label] = tally;
        if (xCache === "HIT") tally.hit++;
        else tally.miss++;
      }
      if (!expected(step, status)) {
        fail(
          `${step.method ?? "GET"} ${label || "?"}: ${status} (expected ${String(step.expect)}) ${body.slice(0, 160)}`,
        );
        return;
      }
      try {
        const problem = step.check?.(parse(body), headers, context as Context);
        if (problem) fail(`${label}: ${problem}`);
      } catch (error) {
        fail(`${label}: check threw ${String(error)}`);
      }
    },
  }));

  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
        requests,
        timeout: options.timeoutSeconds ?? 30,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const sorted = latencies.subarray(0, count).sort();
        const p99ByStatus: Record<string, number> = {};
        for (const [status, list] of byStatus) {
          p99ByStatus[status] = percentile(Float64Array.from(list).sort(), 99);
        }
        // Connection errors and timeouts count too (autocannon counts a timeout among its errors).
        const connectionErrors = result.errors;
        if (connectionErrors > 0) {
          errorSamples.push(`${connectionErrors} connection errors (${result.timeouts} of them timeouts)`);
        }
        resolve({
          responses: count,
          seconds,
          rps: count / seconds,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: percentile(sorted, 100),
          autocannonP99: result.latency.p99,
          errors: errors + connectionErrors,
          errorSamples,
          statuses,
          cache,
          p99ByStatus,
          latencies: sorted,
        });
      },
    );
    options.stop?.finally(() => instance.stop());
    instance.on("response", (_client, status, _bytes, responseTime) => {
      const list = byStatus.get(status) ?? [];
      byStatus.set(status, list);
      list.push(responseTime);
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
  });
}
