import { withContext } from "./context";
import { d1Fields, d1TallyIf } from "./d1-stats";
import { errorFields, log } from "./log";
import type { MetricsDataset } from "./metrics";

/**
 * Runs one method of a `WorkerEntrypoint` with the caller's correlation id in the observability context (RPC
 * carries no headers, so callers pass it as the last argument) and logs one line for the call.
 */
export async function rpcCall<T>(
  call: {
    service: string;
    method: string;
    correlationId: string | undefined;
    metrics?: MetricsDataset;
    /** The service's `D1_STATS` var: when set, the line reports the D1 rows the call read and wrote. */
    d1Stats?: unknown;
  },
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const d1 = d1TallyIf(call.d1Stats);
  const context = { service: call.service, metrics: call.metrics, correlationId: call.correlationId, d1 };
  return withContext(context, async () => {
    try {
      const result = await fn();
      const outcome = { method: call.method, outcome: "ok", durationMs: Date.now() - started };
      log("info", "rpc", { ...outcome, ...d1Fields(d1) });
      return result;
    } catch (error) {
      log("error", "rpc", {
        method: call.method,
        outcome: "error",
        durationMs: Date.now() - started,
        ...errorFields(error),
      });
      throw error;
    }
  });
}
