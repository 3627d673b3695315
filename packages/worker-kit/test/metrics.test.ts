import { describe, expect, it } from "vitest";
import { withContext } from "../src/context";
import {
  recordNotification,
  recordOrder,
  recordPayment,
  recordQueue,
  recordRequest,
  statusClass,
} from "../src/metrics";

// Analytics Engine has no local query API: a spy binding records the points a real one would store.
function spyDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, writeDataPoint: (point: AnalyticsEngineDataPoint) => void points.push(point) };
}

describe("metrics", () => {
  it("classes statuses", () => {
    expect([200, 201, 304, 404, 503].map(statusClass)).toEqual(["2xx", "2xx", "3xx", "4xx", "5xx"]);
  });

  it("writes a request point: route, status class, method, status; count and latency; route as index", () => {
    const spy = spyDataset();
    recordRequest(
      { service: "gateway", method: "GET", route: "/api/orders/:id", status: 404, durationMs: 12 },
      spy,
    );
    expect(spy.points).toEqual([
      {
        blobs: ["request", "gateway", "/api/orders/:id", "4xx", "GET", "404"],
        doubles: [1, 12, 0],
        indexes: ["/api/orders/:id"],
      },
    ]);
  });

  it("writes business points with the service of the context and its dataset", () => {
    const spy = spyDataset();
    withContext({ service: "payments", metrics: spy }, () => {
      recordPayment("failed", {
        provider: "simulator",
        amount: 1999,
        currency: "USD",
        reason: "card_declined",
      });
      recordPayment("succeeded", { provider: "simulator", amount: 1999, currency: "USD" });
      recordQueue("payments-queue", "dead_letter", "order.refunded");
      recordQueue("payments-queue", "retry", undefined);
    });
    withContext({ service: "orders", metrics: spy }, () =>
      recordOrder("refunded", { amount: 500, currency: "EUR" }),
    );
    withContext({ service: "notifications", metrics: spy }, () =>
      recordNotification("sms", "failed", "payment.failed"),
    );
    expect(spy.points).toEqual([
      {
        blobs: ["payment", "payments", "simulator", "failed", "card_declined", "USD"],
        doubles: [1, 0, 1999],
        indexes: ["payments"],
      },
      {
        blobs: ["payment", "payments", "simulator", "succeeded", "", "USD"],
        doubles: [1, 0, 1999],
        indexes: ["payments"],
      },
      {
        blobs: ["queue", "payments", "payments-queue", "dead_letter", "order.refunded", ""],
        doubles: [1, 0, 0],
        indexes: ["payments"],
      },
      {
        blobs: ["queue", "payments", "payments-queue", "retry", "", ""],
        doubles: [1, 0, 0],
        indexes: ["payments"],
      },
      {
        blobs: ["order", "orders", "order", "refunded", "EUR", ""],
        doubles: [1, 0, 500],
        indexes: ["orders"],
      },
      {
        blobs: ["notification", "notifications", "sms", "failed", "payment.failed", ""],
        doubles: [1, 0, 0],
        indexes: ["notifications"],
      },
    ]);
  });

  it("is a no-op without a dataset and never throws when writing fails", () => {
    expect(() => recordOrder("created", { amount: 1, currency: "USD" })).not.toThrow();
    const broken = {
      writeDataPoint: () => {
        throw new Error("dataset unavailable");
      },
    };
    expect(() => recordQueue("q", "ack", "x", broken)).not.toThrow();
  });
});
