import { log } from "@edge-shop/worker-kit";

/** Logs a failed cache call: the cache is an optimisation, a KV failure must never fail the request or the write. */
export function warnFailed(what: string, error: unknown): void {
  log("warn", `cache ${what} failed`, { error: error instanceof Error ? error.message : String(error) });
}

/** Awaits a KV call, logging (never throwing) its failure; answers whether it succeeded. */
export async function quietly(what: string, work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return true;
  } catch (error) {
    warnFailed(what, error);
    return false;
  }
}
