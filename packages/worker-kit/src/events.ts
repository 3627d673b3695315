import type { EventDataOf, EventEnvelope, EventType } from "@edge-shop/contracts";

/** A new event envelope; `correlationId` is the request id (or event id) that caused it. */
export function newEvent<T extends EventType>(
  type: T,
  data: EventDataOf<T>,
  meta: { source: string; correlationId: string },
): EventEnvelope<T> {
  return {
    id: crypto.randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: meta.source,
    correlationId: meta.correlationId,
    data,
  } as EventEnvelope<T>;
}
