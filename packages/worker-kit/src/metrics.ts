/**
 * Business and traffic metrics as Workers Analytics Engine data points, one `METRICS` dataset per worker
 * (`edge_shop_<service>`). Every point has the same layout, so one SQL shape queries them all:
 *
 * | column  | request        | order           | payment                     | notification | queue                  |
 * | ------- | -------------- | --------------- | --------------------------- | ------------ | ---------------------- |
 * | blob1   | "request"      | "order"         | "payment"                   | "notification" | "queue"              |
 * | blob2   | service        | service         | service                     | service      | service                |
 * | blob3   | route template | "order"         | provider                    | channel      | queue                  |
 * | blob4   | status class   | created, paid, cancelled, refunded, shipped, delivered | succeeded, failed, refunded | sent, failed | ack, retry, dead_letter, replayed |
 * | blob5   | method         | currency        | failure reason ("" if none) | event type   | event type             |
 * | blob6   | status code    | ""              | currency                    | ""           | ""                     |
 * | double1 | 1 (count)      | 1               | 1                           | 1            | 1                      |
 * | double2 | latency ms     | 0               | 0                           | 0            | 0                      |
 * | double3 | 0              | amount (minor)  | amount (minor)              | 0            | 0                      |
 * | index1  | route template | service         | service                     | service      | service                |
 *
 * Analytics Engine samples under load: count with `SUM(_sample_interval * double1)`, never `COUNT()`.
 * Writing never throws and never waits: a missing binding (a test without one) makes every helper a no-op.
 */
import { currentContext } from "./context";

/** The part of an Analytics Engine dataset the helpers use (a spy in tests). */
export type MetricsDataset = Pick<AnalyticsEngineDataset, "writeDataPoint">;

type Blobs = [
  kind: string,
  service: string,
  subject: string,
  outcome: string,
  detail?: string,
  extra?: string,
];

function write(
  dataset: MetricsDataset | undefined,
  blobs: Blobs,
  doubles: { ms?: number; amount?: number },
  index: string,
) {
  if (!dataset) return;
  try {
    dataset.writeDataPoint({
      blobs: [blobs[0], blobs[1], blobs[2], blobs[3], blobs[4] ?? "", blobs[5] ?? ""],
      doubles: [1, doubles.ms ?? 0, doubles.amount ?? 0],
      // The index is Analytics Engine's sampling key: at most 96 bytes.
      indexes: [index.slice(0, 96)],
    });
  } catch {
    // Metrics are best effort: losing a point must never fail the work it measures.
  }
}

const datasetOf = (dataset?: MetricsDataset) => dataset ?? currentContext().metrics;
const serviceOf = () => currentContext().service ?? "unknown";

/** `404` → `4xx`. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** One HTTP request: count and latency by route template and status. */
export function recordRequest(
  request: { service: string; method: string; route: string; status: number; durationMs: number },
  dataset?: MetricsDataset,
): void {
  const { service, method, route, status, durationMs } = request;
  write(
    datasetOf(dataset),
    ["request", service, route, statusClass(status), method, String(status)],
    { ms: durationMs },
    route,
  );
}

export type OrderTransition = "created" | "paid" | "cancelled" | "refunded" | "shipped" | "delivered";

/** An order reached a state (the orders funnel). */
export function recordOrder(
  transition: OrderTransition,
  money: { amount: number; currency: string },
  dataset?: MetricsDataset,
): void {
  const service = serviceOf();
  write(
    datasetOf(dataset),
    ["order", service, "order", transition, money.currency],
    { amount: money.amount },
    service,
  );
}

/** A charge attempt settled or a charge was refunded; `reason` is the failure reason of a failed one. */
export function recordPayment(
  outcome: "succeeded" | "failed" | "refunded",
  payment: { provider: string; amount: number; currency: string; reason?: string | null },
  dataset?: MetricsDataset,
): void {
  const service = serviceOf();
  write(
    datasetOf(dataset),
    ["payment", service, payment.provider, outcome, payment.reason ?? "", payment.currency],
    { amount: payment.amount },
    service,
  );
}

/** A notification was handed to its provider, or refused for good. */
export function recordNotification(
  channel: string,
  outcome: "sent" | "failed",
  eventType: string,
  dataset?: MetricsDataset,
): void {
  const service = serviceOf();
  write(datasetOf(dataset), ["notification", service, channel, outcome, eventType], {}, service);
}

export type QueueOutcome = "ack" | "retry" | "dead_letter" | "replayed";

/** What became of a queue message: processed, retried, stored as a dead letter, or replayed from one. */
export function recordQueue(
  queue: string,
  outcome: QueueOutcome,
  eventType: string | undefined,
  dataset?: MetricsDataset,
): void {
  const service = serviceOf();
  write(datasetOf(dataset), ["queue", service, queue, outcome, eventType ?? ""], {}, service);
}
