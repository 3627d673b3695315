// Planning for `pnpm provision`: which Cloudflare resources an environment needs, which of them an account already
// has (from wrangler's list commands), which wrangler commands create the rest, and which ids go back into the
// configs. Pure functions: the CLI in scripts/provision.ts only runs what they return.
import type { ShopWorker, WorkerId } from "./shop-config";

/** A binding whose id lives in a wrangler.toml environment section. */
export interface IdTarget {
  worker: WorkerId;
  configPath: string;
  binding: string;
  /** The id the config holds now (a placeholder until provisioned). */
  id: string | undefined;
}

export interface Resources {
  d1: (IdTarget & { name: string })[];
  kv: (IdTarget & { title: string })[];
  r2: string[];
  queues: string[];
}

export interface Existing {
  /** D1 database name → uuid. */
  d1: Map<string, string>;
  /** KV namespace title → id. */
  kv: Map<string, string>;
  r2: Set<string>;
  queues: Set<string>;
}

/** Config ids that mean "not provisioned yet": absent, or all zeros (the committed placeholders). */
export const isPlaceholderId = (id: string | undefined) => !id || /^[0-]+$/.test(id);

/**
 * The KV namespace title for a binding: KV configs hold only an id, so the title is derived from the config
 * (deployed worker name + binding) and is what makes a second run find the namespace the first one created.
 */
export const kvTitle = (workerName: string, binding: string) => `${workerName}-${binding.toLowerCase()}`;

/** Every D1 database, KV namespace, R2 bucket and queue (dead-letter queues included) the workers' configs name. */
export function requiredResources(workers: ShopWorker[]): Resources {
  const target = (w: ShopWorker, binding: string, id: string | undefined): IdTarget => ({
    worker: w.id,
    configPath: w.configPath,
    binding,
    id,
  });
  return {
    d1: workers.flatMap((w) => w.d1.map((db) => ({ ...target(w, db.binding, db.id), name: db.name }))),
    kv: workers.flatMap((w) =>
      w.kv.map((ns) => ({ ...target(w, ns.binding, ns.id), title: kvTitle(w.name, ns.binding) })),
    ),
    r2: [...new Set(workers.flatMap((w) => w.r2))].sort(),
    queues: [...new Set(workers.flatMap((w) => w.queues))].sort(),
  };
}

/** The wrangler commands (argument lists) that create what `existing` lacks, each resource once. */
export function createCommands(resources: Resources, existing: Existing): string[][] {
  const d1 = [...new Set(resources.d1.map((db) => db.name))].filter((name) => !existing.d1.has(name));
  const kv = [...new Set(resources.kv.map((ns) => ns.title))].filter((title) => !existing.kv.has(title));
  const r2 = resources.r2.filter((name) => !existing.r2.has(name));
  const queues = resources.queues.filter((q) => !existing.queues.has(q));
  return [
    ...d1.map((name) => ["d1", "create", name]),
    // No --env: wrangler would prefix the title with it; the title already names the environment's worker.
    ...kv.map((title) => ["kv", "namespace", "create", title]),
    ...r2.map((name) => ["r2", "bucket", "create", name]),
    ...queues.map((name) => ["queues", "create", name]),
  ];
}

export interface IdUpdate {
  configPath: string;
  table: "d1_databases" | "kv_namespaces";
  binding: string;
  idField: "database_id" | "id";
  /** What the resource is called in the account (database name or namespace title), for messages. */
  resource: string;
  id: string;
  previous: string | undefined;
}

/** The ids to write into the configs: every binding whose config id differs from the account's. */
export function idUpdates(
  resources: Resources,
  existing: Existing,
): { updates: IdUpdate[]; missing: string[] } {
  const updates: IdUpdate[] = [];
  const missing: string[] = [];
  const check = (
    t: IdTarget,
    table: IdUpdate["table"],
    idField: IdUpdate["idField"],
    resource: string,
    id: string | undefined,
  ) => {
    if (!id) missing.push(`${resource} (${t.configPath} ${t.binding})`);
    else if (id !== t.id)
      updates.push({
        configPath: t.configPath,
        table,
        binding: t.binding,
        idField,
        resource,
        id,
        previous: t.id,
      });
  };
  for (const db of resources.d1) check(db, "d1_databases", "database_id", db.name, existing.d1.get(db.name));
  for (const ns of resources.kv) check(ns, "kv_namespaces", "id", ns.title, existing.kv.get(ns.title));
  return { updates, missing };
}

/** JSON printed by a wrangler command, skipping anything it printed before (a banner, a warning). */
function jsonOutput(stdout: string, command: string): unknown {
  const start = stdout.search(/^\s*[[{]/m);
  if (start < 0) throw new Error(`${command}: no JSON in its output:\n${stdout}`);
  return JSON.parse(stdout.slice(start));
}

/** Parses `wrangler d1 list --json`: name → uuid. */
export function parseD1List(stdout: string): Map<string, string> {
  const list = jsonOutput(stdout, "wrangler d1 list --json") as { name?: string; uuid?: string }[];
  return new Map(list.flatMap((db) => (db.name && db.uuid ? [[db.name, db.uuid] as const] : [])));
}

/** Parses `wrangler kv namespace list` (JSON): title → id. */
export function parseKvList(stdout: string): Map<string, string> {
  const list = jsonOutput(stdout, "wrangler kv namespace list") as { title?: string; id?: string }[];
  return new Map(list.flatMap((ns) => (ns.title && ns.id ? [[ns.title, ns.id] as const] : [])));
}

/** Parses one page of `wrangler queues list` (a box-drawn table with a `name` column): the queue names. */
export function parseQueueTable(stdout: string): string[] {
  const rows = stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("│"))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split("│")
        .map((cell) => cell.trim()),
    );
  const header = rows[0];
  const column = header?.indexOf("name") ?? -1;
  if (!header || column < 0) return [];
  return rows.slice(1).flatMap((row) => {
    const name = row.length === header.length ? row[column] : undefined;
    return name ? [name] : [];
  });
}

// wrangler colours labels even into a pipe: compare without the escape sequences.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Parses `wrangler r2 bucket list` (blocks of `name:` / `creation_date:` lines): the bucket names. */
export function parseR2List(stdout: string): Set<string> {
  const names = stdout
    .replace(ANSI, "")
    .split("\n")
    .flatMap((line) => /^\s*name:\s+(\S+)\s*$/.exec(line)?.[1] ?? []);
  return new Set(names);
}
