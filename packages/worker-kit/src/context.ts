/// <reference path="./async-hooks.d.ts" />
import { AsyncLocalStorage } from "node:async_hooks";
import type { D1Tally } from "./d1-stats";

/**
 * What every log line and data point written while handling one request, queue message or RPC call should know.
 * Set once at the entry (request log middleware, queue consumer, RPC entrypoint) and read wherever needed, so
 * domain code does not have to thread ids through every call.
 */
export interface ObservabilityContext {
  service?: string;
  /** The request id of an HTTP request (the gateway's, passed on as `x-request-id`). */
  requestId?: string;
  /** The request id that started the chain of events this work belongs to. */
  correlationId?: string;
  eventId?: string;
  userId?: string;
  /** The worker's Analytics Engine dataset (`METRICS`); absent in tests that do not bind one. */
  metrics?: AnalyticsEngineDataset | undefined;
  /** Rows D1 read and wrote for this work, only while the service's `D1_STATS` var is set (see d1-stats.ts). */
  d1?: D1Tally | undefined;
}

const storage = new AsyncLocalStorage<ObservabilityContext>();

/** Runs `fn` with `fields` added to the current observability context. */
export function withContext<T>(fields: ObservabilityContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** The observability context of the work in progress (empty outside any). */
export function currentContext(): ObservabilityContext {
  return storage.getStore() ?? {};
}

/** The id that follows this work across services: the correlation id of an event, else the request id. */
export function currentCorrelationId(): string | undefined {
  const context = currentContext();
  return context.correlationId ?? context.requestId;
}
