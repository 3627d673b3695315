import type { WorkerOptions } from "miniflare";
import { unstable_readConfig } from "wrangler";

export type WorkerConfig = WorkerOptions["config"];
export type EnvEntry = NonNullable<WorkerConfig["env"]>[string];
type Trigger = NonNullable<WorkerConfig["triggers"]>[number];

/** What the bench needs to know of one wrangler config besides its bindings. */
export interface WranglerWorker {
  name: string;
  configPath: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Migration folders of its D1 databases, by binding. */
  d1Migrations: Record<string, string>;
  env: Record<string, EnvEntry>;
  exports: NonNullable<WorkerConfig["exports"]>;
  triggers: Trigger[];
}

/**
 * Translates one wrangler config into Miniflare 5 typed bindings, the way `wrangler dev` would (compare
 * `convertV4MiniflareOptions()`), with two deliberate differences: each D1 database is keyed by its
 * `database_name` (in production every service has its own database whatever the placeholder id says),
 * and cron triggers are left out (nothing scheduled runs during a measurement).
 */
export function readWranglerWorker(configPath: string): WranglerWorker {
  const config = unstable_readConfig({ config: configPath });
  const env: Record<string, EnvEntry> = {};
  const exports: WranglerWorker["exports"] = {};
  const triggers: Trigger[] = [];
  const d1Migrations: Record<string, string> = {};

  for (const [name, value] of Object.entries(config.vars ?? {})) {
    env[name] = { type: "text", value: typeof value === "string" ? value : JSON.stringify(value) };
  }
  for (const kv of config.kv_namespaces ?? []) env[kv.binding] = { type: "kv", id: kv.id ?? kv.binding };
  for (const d1 of config.d1_databases ?? []) {
    env[d1.binding] = { type: "d1", id: d1.database_name ?? d1.binding };
    if (d1.migrations_dir) d1Migrations[d1.binding] = d1.migrations_dir;
  }
  for (const service of config.services ?? []) {
    env[service.binding] = service.entrypoint
      ? { type: "worker", worker: service.service, exportName: service.entrypoint }
      : { type: "worker", worker: service.service };
  }
  const sqliteClasses = new Set(
    (config.migrations ?? []).flatMap((m: { new_sqlite_classes?: string[] }) => m.new_sqlite_classes ?? []),
  );
  for (const durable of config.durable_objects?.bindings ?? []) {
    const worker = durable.script_name ?? config.name ?? "";
    env[durable.name] = { type: "durable-object", worker, exportName: durable.class_name };
    if (worker === config.name) {
      const storage = sqliteClasses.has(durable.class_name) ? "sqlite" : "legacy-kv";
      exports[durable.class_name] = { type: "durable-object", storage };
    }
  }
  for (const producer of config.queues?.producers ?? []) {
    env[producer.binding] = { type: "queue", name: producer.queue };
  }
  for (const consumer of config.queues?.consumers ?? []) {
    triggers.push({
      type: "queue",
      name: consumer.queue,
      ...(consumer.max_batch_size !== undefined ? { maxBatchSize: consumer.max_batch_size } : {}),
      ...(consumer.max_batch_timeout !== undefined ? { maxBatchTimeout: consumer.max_batch_timeout } : {}),
      ...(consumer.max_retries !== undefined ? { maxRetries: consumer.max_retries } : {}),
      ...(consumer.dead_letter_queue ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
      ...(consumer.retry_delay !== undefined ? { retryDelay: consumer.retry_delay } : {}),
    });
  }
  for (const email of config.send_email ?? []) env[email.name] = { type: "send-email" };
  // Buckets by name: the gateway and products bind the same one, as in production.
  for (const bucket of config.r2_buckets ?? []) {
    env[bucket.binding] = { type: "r2", name: bucket.bucket_name ?? bucket.binding };
  }
  if (config.images?.binding) env[config.images.binding] = { type: "images" };
  for (const dataset of config.analytics_engine_datasets ?? []) {
    env[dataset.binding] = { type: "analytics-engine-dataset", name: dataset.dataset ?? dataset.binding };
  }
  // A binding the bench does not know would be missing at run time: fail loudly instead.
  const unsupported = ["hyperdrive", "vectorize", "ai", "workflows", "browser"].filter((key) => {
    const value = (config as unknown as Record<string, unknown>)[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  });
  if (unsupported.length > 0)
    throw new Error(`${configPath}: the bench does not map ${unsupported.join(", ")} yet`);

  if (!config.name || !config.compatibility_date) {
    throw new Error(`${configPath}: name and compatibility_date are required`);
  }
  return {
    name: config.name,
    configPath,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    d1Migrations,
    env,
    exports,
    triggers,
  };
}
