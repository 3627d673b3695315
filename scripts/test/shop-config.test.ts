// The real configs, read by wrangler itself: the environments are complete, consistent and deployable in order.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployOrder } from "../lib/deploy-plan";
import { createCommands, requiredResources } from "../lib/provision-plan";
import { bindingGaps, configPathOf, ENVIRONMENTS, loadShop, WORKER_IDS } from "../lib/shop-config";
import { setBindingId } from "../lib/toml-ids";
import { ROOT } from "../lib/workers";

const wrangler = await import("wrangler");
type Resolved = ReturnType<typeof wrangler.unstable_readConfig>;
const read = (id: string, env?: string): Resolved =>
  wrangler.unstable_readConfig(
    { config: `${ROOT}${configPathOf(id as "users")}`, env },
    { hideWarnings: true },
  );
const raw = (id: string) =>
  wrangler.experimental_readRawConfig({ config: `${ROOT}${configPathOf(id as "users")}` }).rawConfig;
const vars = (config: Resolved) => config.vars as Record<string, string>;

describe("bindingGaps", () => {
  const top = {
    d1_databases: [{ binding: "DB" }],
    queues: { producers: [{ binding: "EVENTS", queue: "q" }], consumers: [{ queue: "in" }] },
    analytics_engine_datasets: [{ binding: "ANALYTICS", dataset: "shop" }],
    vars: { A: "1", B: "2" },
  };

  it("finds each top-level binding an environment leaves out, not just a missing key", () => {
    const env = {
      d1_databases: [{ binding: "DB" }],
      queues: { producers: [{ binding: "EVENTS", queue: "q-staging" }] },
      vars: { A: "1" },
    };
    expect(bindingGaps({ ...top, env: { staging: env } }, "staging")).toEqual([
      "vars: B",
      "queues: consumer #1",
      "analytics_engine_datasets: ANALYTICS",
    ]);
  });

  it("is empty when every binding is repeated (with the environment's own resource names)", () => {
    const env = { ...top, queues: { ...top.queues, consumers: [{ queue: "in-staging" }] } };
    expect(bindingGaps({ ...top, env: { staging: env } }, "staging")).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)("the %s environment", (env) => {
  it("repeats every top-level binding and var in every worker's config", () => {
    const gaps = WORKER_IDS.flatMap((id) =>
      bindingGaps(raw(id), env).map((gap) => `${configPathOf(id)} ${gap}`),
    );
    expect(gaps).toEqual([]);
  });

  it("names its own workers and deploys them in binding order, the gateway last", async () => {
    const shop = await loadShop(env);
    for (const w of shop) expect(w.name).toBe(`${w.id}-${env}`);
    expect(deployOrder(shop).map((w) => w.id)).toEqual([
      "users",
      "products",
      "notifications",
      "carts",
      "orders",
      "payments",
      "gateway",
    ]);
  });

  it("gives every database and queue an environment name, and every consumer but a DLQ's a dead-letter queue", async () => {
    const resources = requiredResources(await loadShop(env));
    for (const db of resources.d1) expect(db.name).toBe(`edge-shop-${db.worker}-${env}`);
    for (const q of resources.queues) expect(q).toMatch(new RegExp(`^edge-shop-[a-z-]+-${env}(-dlq)?$`));
    for (const id of WORKER_IDS) {
      for (const consumer of read(id, env).queues.consumers ?? []) {
        // A dead-letter queue's own consumer has nowhere further to send what it cannot store.
        if (consumer.queue.endsWith("-dlq")) continue;
        expect(consumer.dead_letter_queue).toBe(`${consumer.queue}-dlq`);
        expect(resources.queues).toContain(consumer.dead_letter_queue);
      }
    }
  });

  it("keeps the RPC entrypoints of the top level's service bindings", () => {
    for (const id of WORKER_IDS) {
      const entrypoints = (c: Resolved) =>
        c.services?.map((s: { binding: string; entrypoint?: string }) => [s.binding, s.entrypoint]);
      expect(entrypoints(read(id, env))).toEqual(entrypoints(read(id)));
    }
  });

  it("verifies tokens in the gateway with the issuer and audience users signs them with", () => {
    const [gateway, users] = [vars(read("gateway", env)), vars(read("users", env))];
    expect(gateway.JWT_ISSUER).toBe(users.JWT_ISSUER);
    expect(gateway.JWT_AUDIENCE).toBe(users.JWT_AUDIENCE);
  });

  it("keeps notifications' attempt count in step with its consumer's max_retries", () => {
    const config = read("notifications", env);
    const retries = config.queues.consumers?.[0]?.max_retries ?? 0;
    expect(Number(vars(config).NOTIFY_MAX_ATTEMPTS)).toBe(retries + 1);
  });

  it("binds the pictures' bucket to products (which writes it) and the gateway (which serves it), and Images to products", () => {
    const bucket = (id: (typeof WORKER_IDS)[number]) =>
      (read(id, env).r2_buckets ?? []).map((b: { binding: string; bucket_name: string }) => b);
    expect(bucket("products")).toEqual([{ binding: "MEDIA", bucket_name: `edge-shop-media-${env}` }]);
    expect(bucket("gateway")).toEqual(bucket("products"));
    expect(read("products", env).images).toEqual({ binding: "IMAGES" });
    expect(read("products", env).triggers?.crons).toHaveLength(1);
  });

  it("gives users the CPU time argon2id needs (Paid plan) and the gateway its rate-limiter Durable Object", () => {
    expect(read("users", env).limits?.cpu_ms).toBeGreaterThanOrEqual(1000);
    const gateway = read("gateway", env);
    expect(gateway.durable_objects.bindings).toEqual([{ name: "RATE_LIMITER", class_name: "RateLimiter" }]);
    expect(
      gateway.migrations.flatMap((m: { new_sqlite_classes?: string[] }) => m.new_sqlite_classes ?? []),
    ).toContain("RateLimiter");
  });

  it("holds nothing secret: secrets are set with `wrangler secret put`", () => {
    for (const id of WORKER_IDS) {
      const names = Object.keys(vars(read(id, env)));
      expect(
        names.filter((n) => /SECRET|PRIVATE|API_KEY|TOKEN$/.test(n) && !n.endsWith("_TTL_SECONDS")),
      ).toEqual([]);
    }
  });

  it("plans nothing to create on an account that already has every resource", async () => {
    const resources = requiredResources(await loadShop(env));
    const account = {
      d1: new Map(resources.d1.map((db) => [db.name, "id"])),
      kv: new Map(resources.kv.map((ns) => [ns.title, "id"])),
      r2: new Set(resources.r2),
      queues: new Set(resources.queues),
    };
    expect(createCommands(resources, account)).toEqual([]);
  });
});

describe("staging and production", () => {
  it("share no worker, database, namespace, bucket or queue", async () => {
    const names = async (env: (typeof ENVIRONMENTS)[number]) => {
      const shop = await loadShop(env);
      const r = requiredResources(shop);
      return [
        ...shop.map((w) => w.name),
        ...r.d1.map((d) => d.name),
        ...r.kv.map((k) => k.title),
        ...r.r2,
        ...r.queues,
      ];
    };
    const staging = await names("staging");
    const production = new Set(await names("production"));
    expect(staging.filter((n) => production.has(n))).toEqual([]);
  });

  it("use a different token audience, so a staging token is refused in production", () => {
    expect(vars(read("users", "staging")).JWT_AUDIENCE).not.toBe(
      vars(read("users", "production")).JWT_AUDIENCE,
    );
  });

  it("pay with the simulator in staging and the HTTP provider in production", () => {
    expect(vars(read("payments", "staging")).PAYMENT_PROVIDER).toBe("simulator");
    expect(vars(read("payments", "production")).PAYMENT_PROVIDER).toBe("stripe");
  });
});

describe("ids written by provision", () => {
  it("are what wrangler then reads for that environment, and nothing else changes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "edge-shop-provision-"));
    try {
      const path = join(dir, "wrangler.toml");
      const original = await readFile(`${ROOT}workers/products/wrangler.toml`, "utf8");
      let text = setBindingId(original, {
        env: "staging",
        table: "d1_databases",
        binding: "DB",
        idField: "database_id",
        id: "3f2c9a10-5b1e-4c7d-9e8f-0a1b2c3d4e5f",
      });
      text = setBindingId(text, {
        env: "staging",
        table: "kv_namespaces",
        binding: "CACHE",
        idField: "id",
        id: "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49",
      });
      await writeFile(path, text);
      const resolved = (env?: string) =>
        wrangler.unstable_readConfig({ config: path, env }, { hideWarnings: true });
      expect(resolved("staging").d1_databases[0]?.database_id).toBe("3f2c9a10-5b1e-4c7d-9e8f-0a1b2c3d4e5f");
      expect(resolved("staging").kv_namespaces[0]?.id).toBe("9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49");
      expect(resolved("production")).toMatchObject({
        d1_databases: [{ database_id: "00000000-0000-0000-0000-000000000000" }],
      });
      expect(resolved()).toMatchObject({
        d1_databases: [{ database_id: read("products").d1_databases[0]?.database_id }],
      });
      expect(text.split("\n").length).toBe(original.split("\n").length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
