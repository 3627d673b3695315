// `pnpm provision` against a simulated account that answers wrangler's list and create commands the way wrangler
// prints them: the first run creates everything and returns every id, the second creates and changes nothing.
import { describe, expect, it } from "vitest";
import { type IdUpdate, requiredResources } from "../lib/provision-plan";
import { provisionAccount, type WranglerCli } from "../lib/provision-run";
import type { ShopWorker } from "../lib/shop-config";
import { stagingShop } from "./fixtures";

/** A Cloudflare account as wrangler shows it; queues are listed two per page to exercise paging. */
class FakeAccount implements WranglerCli {
  d1 = new Map<string, string>();
  kv = new Map<string, string>();
  r2 = new Set<string>();
  queues: string[] = [];
  calls: string[] = [];
  /** Names whose create "succeeds" but never shows up in a list (eventual consistency gone wrong). */
  invisible = new Set<string>();
  private next = 0;

  private id(hex: number) {
    this.next += 1;
    return this.next.toString(16).padStart(hex, "a");
  }

  async output(args: string[]): Promise<string> {
    this.calls.push(args.join(" "));
    const key = args.slice(0, 2).join(" ");
    if (key === "d1 list") {
      const dbs = [...this.d1].filter(([name]) => !this.invisible.has(name));
      return JSON.stringify(
        dbs.map(([name, uuid]) => ({ uuid, name, version: "production" })),
        null,
        2,
      );
    }
    if (key === "kv namespace") {
      const namespaces = [...this.kv].filter(([title]) => !this.invisible.has(title));
      return JSON.stringify(
        namespaces.map(([title, id]) => ({ id, title, supports_url_encoding: true })),
        null,
        2,
      );
    }
    if (key === "r2 bucket") {
      const names = [...this.r2].filter((name) => !this.invisible.has(name));
      return [
        "Listing buckets...",
        ...names.map((n) => `name:           ${n}\ncreation_date:  2026-11-27`),
      ].join("\n\n");
    }
    if (key === "queues list") {
      const page = Number(args[3]);
      const rows = this.queues.slice((page - 1) * 2, page * 2);
      if (rows.length === 0) return "┌┐\n└┘\n";
      return [
        "│ id │ name │ created_on │",
        ...rows.map((name) => `│ ${this.id(32)} │ ${name} │ 2026-11-27 │`),
      ].join("\n");
    }
    throw new Error(`unexpected: wrangler ${args.join(" ")}`);
  }

  async loud(args: string[]): Promise<void> {
    this.calls.push(args.join(" "));
    const [product, verb] = args[0] === "kv" || args[0] === "r2" ? [args[0], args[2]] : [args[0], args[1]];
    const name = args.at(-1) ?? "";
    if (verb !== "create") throw new Error(`unexpected: wrangler ${args.join(" ")}`);
    if (product === "d1") this.d1.set(name, `${this.id(8)}-0000-4000-8000-000000000000`);
    else if (product === "kv") this.kv.set(name, this.id(32));
    else if (product === "r2") this.r2.add(name);
    else if (product === "queues") this.queues.push(name);
    else throw new Error(`unexpected: wrangler ${args.join(" ")}`);
  }
}

/** The configs after the ids were written. */
const written = (shop: ShopWorker[], updates: IdUpdate[]): ShopWorker[] =>
  shop.map((w) => {
    const idOf = (table: string, binding: string, current: string | undefined) =>
      updates.find((u) => u.configPath === w.configPath && u.table === table && u.binding === binding)?.id ??
      current;
    return {
      ...w,
      d1: w.d1.map((db) => ({ ...db, id: idOf("d1_databases", db.binding, db.id) })),
      kv: w.kv.map((ns) => ({ ...ns, id: idOf("kv_namespaces", ns.binding, ns.id) })),
    };
  });

describe("provisionAccount", () => {
  it("creates everything on an empty account, lists again, and returns every id", async () => {
    const account = new FakeAccount();
    const { created, updates } = await provisionAccount(requiredResources(stagingShop), account);
    expect(created).toHaveLength(6 + 1 + 1 + 8);
    expect(account.d1.size).toBe(6);
    expect([...account.kv.keys()]).toEqual(["products-staging-cache"]);
    expect([...account.r2]).toEqual(["edge-shop-media-staging"]);
    expect(account.queues).toHaveLength(8);
    expect(updates).toHaveLength(7);
    for (const u of updates)
      expect(u.id).toBe(u.table === "d1_databases" ? account.d1.get(u.resource) : account.kv.get(u.resource));
    // Listed first (all pages), then created, then listed again for the new ids.
    expect(account.calls.slice(0, 4)).toEqual([
      "d1 list --json",
      "kv namespace list",
      "r2 bucket list",
      "queues list --page 1",
    ]);
    expect(account.calls.slice(-2)).toEqual(["d1 list --json", "kv namespace list"]);
  });

  it("is idempotent: a second run creates nothing and has no id to change", async () => {
    const account = new FakeAccount();
    const first = await provisionAccount(requiredResources(stagingShop), account);
    account.calls = [];
    const second = await provisionAccount(requiredResources(written(stagingShop, first.updates)), account);
    expect(second).toMatchObject({ created: [], updates: [] });
    expect(account.calls.every((call) => call.includes(" list"))).toBe(true);
    // Eight queues at two per page: four pages, then the empty one that ends the listing.
    expect(account.calls.filter((call) => call.startsWith("queues list"))).toHaveLength(5);
  });

  it("creates only what is missing and still returns the ids of what existed", async () => {
    const account = new FakeAccount();
    await provisionAccount(requiredResources(stagingShop), account);
    account.d1.delete("edge-shop-payments-staging");
    account.queues = account.queues.filter((q) => q !== "payments-queue-staging-dlq");
    const { created, updates } = await provisionAccount(requiredResources(stagingShop), account);
    expect(created).toEqual([
      ["d1", "create", "edge-shop-payments-staging"],
      ["queues", "create", "payments-queue-staging-dlq"],
    ]);
    // The configs still hold placeholders: every id is written, the new database's included.
    expect(updates.map((u) => u.resource)).toContain("edge-shop-payments-staging");
    expect(updates).toHaveLength(7);
  });

  it("fails, writing nothing, when a created resource does not show up in the list", async () => {
    const account = new FakeAccount();
    account.invisible.add("products-staging-cache");
    await expect(provisionAccount(requiredResources(stagingShop), account)).rejects.toThrow(
      /created but not listed .*products-staging-cache/,
    );
  });
});
