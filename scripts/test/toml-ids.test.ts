import { describe, expect, it } from "vitest";
import { setBindingId } from "../lib/toml-ids";

const CONFIG = `name = "products"

[[d1_databases]]
binding = "DB"
database_name = "products-db"
database_id = "00000000-0000-0000-0000-0000000000a2"

[env.staging]
name = "products-staging"

[[env.staging.d1_databases]]
binding = "DB"
database_name = "edge-shop-products-staging"
database_id = "00000000-0000-0000-0000-000000000000" # written by provision

# the cache
[[env.staging.kv_namespaces]]
binding = "CACHE"
id = "00000000000000000000000000000000"

[[env.production.d1_databases]]
binding = "DB"
database_name = "edge-shop-products-production"
database_id = "00000000-0000-0000-0000-000000000000"
`;

describe("setBindingId", () => {
  it("sets the id of one binding of one environment, keeping its comment and everything else", () => {
    const out = setBindingId(CONFIG, {
      env: "staging",
      table: "d1_databases",
      binding: "DB",
      idField: "database_id",
      id: "3f2c9a10-5b1e-4c7d-9e8f-0a1b2c3d4e5f",
    });
    expect(out).toBe(
      CONFIG.replace(
        'database_id = "00000000-0000-0000-0000-000000000000" # written by provision',
        'database_id = "3f2c9a10-5b1e-4c7d-9e8f-0a1b2c3d4e5f" # written by provision',
      ),
    );
  });

  it("leaves the top level and other environments alone", () => {
    const out = setBindingId(CONFIG, {
      env: "production",
      table: "d1_databases",
      binding: "DB",
      idField: "database_id",
      id: "prod-id",
    });
    expect(out).toContain('database_id = "00000000-0000-0000-0000-0000000000a2"');
    expect(out).toContain('database_id = "00000000-0000-0000-0000-000000000000" # written by provision');
    expect(out.trimEnd().endsWith('database_id = "prod-id"')).toBe(true);
  });

  it("sets a KV namespace id", () => {
    const out = setBindingId(CONFIG, {
      env: "staging",
      table: "kv_namespaces",
      binding: "CACHE",
      idField: "id",
      id: "abc",
    });
    expect(out).toContain('binding = "CACHE"\nid = "abc"\n');
  });

  it("adds the id line when the entry has none", () => {
    const config = '[[env.staging.kv_namespaces]]\nbinding = "CACHE"\n\n[env.staging.vars]\nX = "1"\n';
    const out = setBindingId(config, {
      env: "staging",
      table: "kv_namespaces",
      binding: "CACHE",
      idField: "id",
      id: "abc",
    });
    expect(out).toBe(
      '[[env.staging.kv_namespaces]]\nbinding = "CACHE"\nid = "abc"\n\n[env.staging.vars]\nX = "1"\n',
    );
  });

  it("is idempotent", () => {
    const edit = {
      env: "staging",
      table: "kv_namespaces",
      binding: "CACHE",
      idField: "id",
      id: "abc",
    } as const;
    const once = setBindingId(CONFIG, edit);
    expect(setBindingId(once, edit)).toBe(once);
  });

  it("refuses an entry that does not exist rather than writing somewhere else", () => {
    expect(() =>
      setBindingId(CONFIG, {
        env: "staging",
        table: "kv_namespaces",
        binding: "OTHER",
        idField: "id",
        id: "x",
      }),
    ).toThrow(/no \[\[env.staging.kv_namespaces\]\] with binding = "OTHER"/);
    expect(() =>
      setBindingId(CONFIG, {
        env: "preview",
        table: "d1_databases",
        binding: "DB",
        idField: "database_id",
        id: "x",
      }),
    ).toThrow();
  });
});
