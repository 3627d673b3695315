import type { Row } from "../lib/measure.ts";

/** A measured line for the bench's arithmetic tests: `responses` in `seconds` on a saturated workerd. */
export function benchRow(id: string, responses: number, seconds: number, extra: Partial<Row> = {}): Row {
  return {
    id,
    title: id,
    group: /^(primitive|together):/.test(id) ? "primitive" : "shop",
    connections: 16,
    responses,
    seconds,
    rps: responses / seconds,
    costUs: (1e6 * seconds) / responses,
    p50: 0,
    p99: 0,
    max: 0,
    autocannonP99: 1,
    errors: 0,
    errorSamples: [],
    statuses: { "GET 200": responses },
    cache: {},
    p99ByStatus: {},
    workerdCpu: 1,
    workerdCpuUsPerRequest: (1e6 * seconds) / responses,
    drainSeconds: 0,
    generatorCpu: 0.5,
    logsPerRequest: 1,
    ...extra,
  };
}
