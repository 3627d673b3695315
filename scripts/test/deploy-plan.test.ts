import { describe, expect, it } from "vitest";
import { deployCommands, deployOrder, preflightProblems } from "../lib/deploy-plan";
import { stagingShop, worker } from "./fixtures";

describe("deployOrder", () => {
  it("deploys each worker after the workers it binds: carts before orders before payments, the gateway last", () => {
    expect(deployOrder(stagingShop).map((w) => w.id)).toEqual([
      "users",
      "products",
      "notifications",
      "carts",
      "orders",
      "payments",
      "gateway",
    ]);
  });

  it("follows the bindings, not the order it is given", () => {
    const reversed = [...stagingShop].reverse();
    const order = deployOrder(reversed).map((w) => w.id);
    expect(order.indexOf("products")).toBeLessThan(order.indexOf("carts"));
    expect(order.indexOf("carts")).toBeLessThan(order.indexOf("orders"));
    expect(order.indexOf("orders")).toBeLessThan(order.indexOf("payments"));
    expect(order.indexOf("users")).toBeLessThan(order.indexOf("notifications"));
    expect(order.at(-1)).toBe("gateway");
  });

  it("refuses a binding to a worker no config deploys (a typo, or a name of another environment)", () => {
    const typo = stagingShop.map((w) =>
      w.id === "payments" ? { ...w, serviceTargets: ["orders-production"] } : w,
    );
    expect(() => deployOrder(typo)).toThrow(/payments-staging binds "orders-production"/);
  });

  it("refuses a products → orders binding (orders already binds products): why orders' cron settles holds", () => {
    const sweepInProducts = stagingShop.map((w) =>
      w.id === "products" ? { ...w, serviceTargets: ["orders-staging"] } : w,
    );
    expect(() => deployOrder(sweepInProducts)).toThrow(/cycle among: products-staging, orders-staging/);
  });

  it("refuses a cycle: neither worker could be deployed first", () => {
    const cycle = stagingShop.map((w) =>
      w.id === "orders" ? { ...w, serviceTargets: ["products-staging", "payments-staging"] } : w,
    );
    expect(() => deployOrder(cycle)).toThrow(/cycle among: orders-staging, payments-staging/);
  });
});

describe("deployCommands", () => {
  it("applies the worker's D1 migrations remotely, then deploys it, all in the environment", () => {
    const orders = stagingShop.find((w) => w.id === "orders");
    expect(orders && deployCommands(orders, "staging")).toEqual([
      [
        "d1",
        "migrations",
        "apply",
        "edge-shop-orders-staging",
        "--remote",
        "--env",
        "staging",
        "-c",
        "workers/orders/wrangler.toml",
      ],
      ["deploy", "--env", "staging", "-c", "workers/orders/wrangler.toml"],
    ]);
  });

  it("passes the build's git sha as the VERSION var of the deploy", () => {
    const gateway = worker({ id: "gateway", name: "gateway-production" });
    expect(deployCommands(gateway, "production", "0123abcd4567")).toEqual([
      ["deploy", "--env", "production", "-c", "wrangler.toml", "--var", "VERSION:0123abcd4567"],
    ]);
  });

  it("only deploys a worker without a database (the gateway)", () => {
    const gateway = worker({ id: "gateway", name: "gateway-production" });
    expect(deployCommands(gateway, "production")).toEqual([
      ["deploy", "--env", "production", "-c", "wrangler.toml"],
    ]);
  });
});

describe("preflightProblems", () => {
  it("names every unprovisioned id and placeholder route", () => {
    const shop = [
      ...stagingShop,
      worker({
        id: "gateway",
        name: "gateway-production",
        routes: ["shop.example.com", "api.example.com/*"],
      }),
    ];
    const problems = preflightProblems(shop, "staging");
    expect(problems.filter((p) => p.includes("no database_id"))).toHaveLength(6);
    expect(problems).toContain(
      "workers/products/wrangler.toml: KV binding CACHE has no id yet (run `pnpm provision --env staging`)",
    );
    expect(problems.filter((p) => p.includes("is a placeholder"))).toHaveLength(2);
  });

  it("names a placeholder shop origin (the links of account emails)", () => {
    const shop = [worker({ id: "notifications", name: "n", shopOrigin: "https://staging.shop.example.com" })];
    expect(preflightProblems(shop, "staging")).toEqual([
      "workers/notifications/wrangler.toml: SHOP_ORIGIN https://staging.shop.example.com is a placeholder: set the shop's URL in [env.staging]",
    ]);
    const mine = [worker({ id: "notifications", name: "n", shopOrigin: "https://shop.my-store.com" })];
    expect(preflightProblems(mine, "staging")).toEqual([]);
  });

  it("names a top-level binding the environment does not repeat", () => {
    const shop = [
      worker({ id: "orders", name: "orders-staging", gaps: ["analytics_engine_datasets: METRICS"] }),
    ];
    expect(preflightProblems(shop, "staging")).toEqual([
      "workers/orders/wrangler.toml: [env.staging] lacks the top level's analytics_engine_datasets: METRICS (bindings are not inherited)",
    ]);
  });

  it("passes a provisioned shop on its own domain", () => {
    const live = stagingShop.map((w) => ({
      ...w,
      d1: w.d1.map((db) => ({ ...db, id: "3f2c9a10-5b1e-4c7d-9e8f-0a1b2c3d4e5f" })),
      kv: w.kv.map((ns) => ({ ...ns, id: "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49" })),
      routes: w.id === "gateway" ? ["shop.my-store.com"] : [],
    }));
    expect(preflightProblems(live, "staging")).toEqual([]);
  });
});
