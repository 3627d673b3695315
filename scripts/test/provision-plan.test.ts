import { describe, expect, it } from "vitest";
import {
  createCommands,
  type Existing,
  idUpdates,
  isPlaceholderId,
  kvTitle,
  parseD1List,
  parseKvList,
  parseQueueTable,
  parseR2List,
  requiredResources,
} from "../lib/provision-plan";
import { stagingShop } from "./fixtures";

const none = (): Existing => ({ d1: new Map(), kv: new Map(), r2: new Set(), queues: new Set() });

// `wrangler queues list` as cli-table3 prints it (captured from the table code wrangler bundles).
const QUEUE_TABLE = `
┌──────────────────────────────────┬────────────────────────────────────┬──────────────────────────┬──────────────────────────┬───────────┬───────────┐
│ id                               │ name                               │ created_on               │ modified_on              │ producers │ consumers │
├──────────────────────────────────┼────────────────────────────────────┼──────────────────────────┼──────────────────────────┼───────────┼───────────┤
│ 5e6f0a9c2b1d4e8f9a0b1c2d3e4f5a6b │ payments-queue-staging               │ 2026-11-27T03:00:00.000Z │ 2026-11-27T03:00:00.000Z │ 1         │ 1         │
├──────────────────────────────────┼────────────────────────────────────┼──────────────────────────┼──────────────────────────┼───────────┼───────────┤
│ 7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d │ payments-queue-staging-dlq           │ 2026-11-27T03:00:01.000Z │ 2026-11-27T03:00:01.000Z │ 0         │ 0         │
└──────────────────────────────────┴────────────────────────────────────┴──────────────────────────┴──────────────────────────┴───────────┴───────────┘
`;

/** The account after a first run created everything the staging configs name. */
function provisioned(): Existing {
  const resources = requiredResources(stagingShop);
  return {
    d1: new Map(resources.d1.map((db, i) => [db.name, `1111111${i}-aaaa-bbbb-cccc-000000000000`])),
    kv: new Map(resources.kv.map((ns, i) => [ns.title, `5eed${i}`.padEnd(32, "f")])),
    r2: new Set(resources.r2),
    queues: new Set(resources.queues),
  };
}

describe("requiredResources", () => {
  it("names every database, namespace and queue once, dead-letter queues included", () => {
    const resources = requiredResources(stagingShop);
    expect(resources.d1.map((db) => db.name)).toEqual([
      "edge-shop-users-staging",
      "edge-shop-products-staging",
      "edge-shop-orders-staging",
      "edge-shop-payments-staging",
      "edge-shop-notifications-staging",
      "edge-shop-carts-staging",
    ]);
    expect(resources.kv).toMatchObject([
      { title: "products-staging-cache", binding: "CACHE", worker: "products" },
    ]);
    // The bucket products writes and the gateway serves from: one bucket, created once.
    expect(resources.r2).toEqual(["edge-shop-media-staging"]);
    expect(resources.queues).toEqual([
      "carts-queue-staging",
      "carts-queue-staging-dlq",
      "notifications-queue-staging",
      "notifications-queue-staging-dlq",
      "orders-queue-staging",
      "orders-queue-staging-dlq",
      "payments-queue-staging",
      "payments-queue-staging-dlq",
    ]);
  });

  it("derives the KV title from the environment's worker name, so each environment has its own namespace", () => {
    expect(kvTitle("products-staging", "CACHE")).toBe("products-staging-cache");
    expect(kvTitle("products-production", "CACHE")).toBe("products-production-cache");
  });
});

describe("createCommands", () => {
  it("creates everything on an empty account, with the wrangler CLI", () => {
    const commands = createCommands(requiredResources(stagingShop), none());
    expect(commands).toContainEqual(["d1", "create", "edge-shop-users-staging"]);
    expect(commands).toContainEqual(["kv", "namespace", "create", "products-staging-cache"]);
    expect(commands).toContainEqual(["r2", "bucket", "create", "edge-shop-media-staging"]);
    expect(commands).toContainEqual(["queues", "create", "orders-queue-staging-dlq"]);
    expect(commands).toHaveLength(6 + 1 + 1 + 8);
    // No --env on kv create: wrangler would prefix the title with it and the next run would not find it.
    expect(commands.flat()).not.toContain("--env");
  });

  it("creates nothing on an account that has it all (a second run is a no-op)", () => {
    expect(createCommands(requiredResources(stagingShop), provisioned())).toEqual([]);
  });

  it("creates only what is missing", () => {
    const account = provisioned();
    account.d1.delete("edge-shop-orders-staging");
    account.queues.delete("payments-queue-staging-dlq");
    account.r2.delete("edge-shop-media-staging");
    expect(createCommands(requiredResources(stagingShop), account)).toEqual([
      ["d1", "create", "edge-shop-orders-staging"],
      ["r2", "bucket", "create", "edge-shop-media-staging"],
      ["queues", "create", "payments-queue-staging-dlq"],
    ]);
  });

  it("creates a queue shared by several workers once", () => {
    const commands = createCommands(requiredResources(stagingShop), none());
    const creates = commands.filter((c) => c[2] === "notifications-queue-staging");
    expect(creates).toHaveLength(1);
  });
});

describe("idUpdates", () => {
  it("writes the account's ids over the placeholders", () => {
    const account = provisioned();
    const { updates, missing } = idUpdates(requiredResources(stagingShop), account);
    expect(missing).toEqual([]);
    expect(updates).toHaveLength(7);
    expect(updates).toContainEqual({
      configPath: "workers/products/wrangler.toml",
      table: "kv_namespaces",
      binding: "CACHE",
      idField: "id",
      resource: "products-staging-cache",
      id: account.kv.get("products-staging-cache"),
      previous: "00000000000000000000000000000000",
    });
    expect(updates.find((u) => u.resource === "edge-shop-users-staging")).toMatchObject({
      configPath: "workers/users/wrangler.toml",
      table: "d1_databases",
      idField: "database_id",
      id: account.d1.get("edge-shop-users-staging"),
    });
  });

  it("changes nothing once the configs hold the account's ids", () => {
    const account = provisioned();
    const written = stagingShop.map((w) => ({
      ...w,
      d1: w.d1.map((db) => ({ ...db, id: account.d1.get(db.name) })),
      kv: w.kv.map((ns) => ({ ...ns, id: account.kv.get(`${w.name}-${ns.binding.toLowerCase()}`) })),
    }));
    expect(idUpdates(requiredResources(written), account)).toEqual({ updates: [], missing: [] });
  });

  it("replaces a stale id (a database recreated, another account) and reports what it was", () => {
    const account = provisioned();
    const stale = stagingShop.map((w) =>
      w.id === "users"
        ? { ...w, d1: w.d1.map((db) => ({ ...db, id: "deadbeef-0000-0000-0000-000000000001" })) }
        : w,
    );
    const update = idUpdates(requiredResources(stale), account).updates.find((u) =>
      u.configPath.includes("users"),
    );
    expect(update).toMatchObject({
      previous: "deadbeef-0000-0000-0000-000000000001",
      id: account.d1.get("edge-shop-users-staging"),
    });
  });

  it("reports a resource the account still lacks instead of writing nothing for it", () => {
    const account = provisioned();
    account.kv.clear();
    expect(idUpdates(requiredResources(stagingShop), account).missing).toEqual([
      "products-staging-cache (workers/products/wrangler.toml CACHE)",
    ]);
  });
});

describe("list output parsers", () => {
  it("reads `wrangler d1 list --json`, skipping anything printed before the JSON", () => {
    const stdout = `▲ [WARNING] a newer wrangler is available\n[\n  { "uuid": "u-1", "name": "edge-shop-users-staging", "version": "production" },\n  { "uuid": "u-2", "name": "other" }\n]\n`;
    expect(parseD1List(stdout)).toEqual(
      new Map([
        ["edge-shop-users-staging", "u-1"],
        ["other", "u-2"],
      ]),
    );
    expect(parseD1List("[]")).toEqual(new Map());
    expect(() => parseD1List("Not logged in.")).toThrow(/no JSON/);
  });

  it("reads `wrangler kv namespace list`", () => {
    const stdout = JSON.stringify([
      { id: "abc", title: "products-staging-cache", supports_url_encoding: true },
    ]);
    expect(parseKvList(stdout)).toEqual(new Map([["products-staging-cache", "abc"]]));
  });

  it("reads the names of `wrangler r2 bucket list`, coloured or not", () => {
    const esc = String.fromCharCode(27);
    const stdout = [
      "Listing buckets...",
      "name:           edge-shop-media-staging",
      "creation_date:  2026-11-27T03:00:00.000Z",
      "",
      `${esc}[37mname:${esc}[39m           ${esc}[90mother-bucket${esc}[39m`,
      "creation_date:  2026-11-28T03:00:00.000Z",
    ].join("\n");
    expect(parseR2List(stdout)).toEqual(new Set(["edge-shop-media-staging", "other-bucket"]));
    expect(parseR2List("Listing buckets...\n")).toEqual(new Set());
  });

  it("reads the name column of `wrangler queues list`", () => {
    expect(parseQueueTable(QUEUE_TABLE)).toEqual(["payments-queue-staging", "payments-queue-staging-dlq"]);
    expect(parseQueueTable("")).toEqual([]);
    expect(parseQueueTable("┌┐\n└┘")).toEqual([]);
  });
});

describe("isPlaceholderId", () => {
  it("treats absent and all-zero ids as not provisioned", () => {
    expect(isPlaceholderId(undefined)).toBe(true);
    expect(isPlaceholderId("00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(isPlaceholderId("00000000000000000000000000000000")).toBe(true);
    expect(isPlaceholderId("00000000-0000-0000-0000-0000000000a1")).toBe(false);
    expect(isPlaceholderId("0f1e2d3c4b5a69788796a5b4c3d2e1f0")).toBe(false);
  });
});
