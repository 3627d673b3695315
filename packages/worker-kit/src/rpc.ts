import { withContext } from "./context";
import { errorFields, log } from "./log";
import type { MetricsDataset } from "./metrics";

/**
 * Runs one method of a `WorkerEntrypoint` with the caller's correlation id in the observability context (RPC
 * carries no headers, so callers pass it as the last argument) and logs one line for the call.
 */
export async function rpcCall<T>(
  call: { service: string; method: string; correlationId: string | undefined; metrics?: MetricsDataset },
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const context = { service: call.service, metrics: call.metrics, correlationId: call.correlationId };
  return withContext(context, async () => {
    try {
      const result = await fn();
      log("info", "rpc", { method: call.method, outcome: "ok", durationMs: Date.now() - started });
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
