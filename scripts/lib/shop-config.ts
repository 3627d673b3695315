// What the deploy scripts need to know about each worker in one environment, read from its wrangler.toml by
// wrangler itself (`unstable_readConfig`, with the environment resolved exactly as `wrangler deploy` resolves it),
// so the resource names that provisioning creates can never drift from the ones the workers are deployed with.
import { ROOT, SERVICES, type Service } from "./workers";

export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A worker of the shop: the gateway or one of the services (its folder under workers/). */
export type WorkerId = "gateway" | Service;
export const WORKER_IDS: readonly WorkerId[] = [...SERVICES, "gateway"];

/** The worker's wrangler config, relative to the root: the gateway's is the root wrangler.toml. */
export const configPathOf = (id: WorkerId) =>
  id === "gateway" ? "wrangler.toml" : `workers/${id}/wrangler.toml`;

export interface ShopWorker {
  id: WorkerId;
  configPath: string;
  /** The deployed worker name in this environment, e.g. `users-staging`. */
  name: string;
  d1: { binding: string; name: string; id: string | undefined }[];
  kv: { binding: string; id: string | undefined }[];
  /** R2 bucket names (buckets have no ids: the name is what binds). */
  r2: string[];
  /** Every queue the worker produces to or consumes from, and its consumers' dead-letter queues. */
  queues: string[];
  /** Worker names bound with [[services]]. */
  serviceTargets: string[];
  /** Route patterns (custom domains included). */
  routes: string[];
  /** The `SHOP_ORIGIN` var, where the worker has one: the origin of the links in account emails. */
  shopOrigin?: string | undefined;
  /** Top-level bindings this environment does not repeat (see `bindingGaps`); none for the top level. */
  gaps: string[];
}

/** Validates a `--env` value. */
export function parseEnvironment(value: string | undefined): Environment {
  const env = ENVIRONMENTS.find((e) => e === value);
  if (!env) throw new Error(`--env must be one of ${ENVIRONMENTS.join(", ")} (got ${value ?? "nothing"})`);
  return env;
}

/** The subset of wrangler's resolved config that is read here. */
export interface ResolvedConfig {
  name?: string;
  d1_databases?: { binding: string; database_name?: string; database_id?: string }[];
  kv_namespaces?: { binding: string; id?: string }[];
  r2_buckets?: { binding: string; bucket_name?: string }[];
  queues?: {
    producers?: { queue: string }[];
    consumers?: { queue: string; dead_letter_queue?: string }[];
  };
  services?: { service?: string }[];
  routes?: (string | { pattern: string })[];
  route?: string | { pattern: string };
  vars?: Record<string, unknown>;
}

/** Maps wrangler's resolved config of one worker to what the deploy scripts use. */
export function toShopWorker(id: WorkerId, config: ResolvedConfig): ShopWorker {
  if (!config.name) throw new Error(`${configPathOf(id)}: no worker name`);
  const consumers = config.queues?.consumers ?? [];
  const queues = [
    ...(config.queues?.producers ?? []).map((p) => p.queue),
    ...consumers.map((c) => c.queue),
    ...consumers.flatMap((c) => (c.dead_letter_queue ? [c.dead_letter_queue] : [])),
  ];
  const routes = [...(config.routes ?? []), ...(config.route ? [config.route] : [])];
  return {
    id,
    configPath: configPathOf(id),
    name: config.name,
    d1: (config.d1_databases ?? []).map((db) => {
      if (!db.database_name)
        throw new Error(`${configPathOf(id)}: D1 binding ${db.binding} has no database_name`);
      return { binding: db.binding, name: db.database_name, id: db.database_id };
    }),
    kv: (config.kv_namespaces ?? []).map((ns) => ({ binding: ns.binding, id: ns.id })),
    r2: (config.r2_buckets ?? []).map((bucket) => {
      if (!bucket.bucket_name)
        throw new Error(`${configPathOf(id)}: R2 binding ${bucket.binding} has no bucket_name`);
      return bucket.bucket_name;
    }),
    queues: [...new Set(queues)],
    serviceTargets: (config.services ?? []).flatMap((s) => (s.service ? [s.service] : [])),
    routes: routes.map((r) => (typeof r === "string" ? r : r.pattern)),
    shopOrigin: typeof config.vars?.SHOP_ORIGIN === "string" ? config.vars.SHOP_ORIGIN : undefined,
    gaps: [],
  };
}

/**
 * Reads every worker's config for `env` (or the top level) with wrangler's own reader: an unknown environment
 * or an invalid config fails here, before anything is created or deployed. Importing wrangler takes seconds.
 */
export async function loadShop(env: Environment | undefined): Promise<ShopWorker[]> {
  const { experimental_readRawConfig, unstable_readConfig } = await import("wrangler");
  return WORKER_IDS.map((id) => {
    const path = `${ROOT}${configPathOf(id)}`;
    const raw = experimental_readRawConfig({ config: path }).rawConfig;
    // wrangler only warns about a missing [env.<env>] (and deploys the top level under another name): refuse it.
    if (env && !raw.env?.[env]) throw new Error(`${configPathOf(id)} has no [env.${env}] section`);
    const config = unstable_readConfig({ config: path, env });
    return { ...toShopWorker(id, config as ResolvedConfig), gaps: env ? bindingGaps(raw, env) : [] };
  });
}

// Config keys wrangler does not inherit into [env.*] (from its config validation): a binding declared at the
// top level and forgotten in an environment is simply absent there.
const NOT_INHERITED = (
  "vars define durable_objects workflows kv_namespaces d1_databases r2_buckets containers send_email queues vectorize " +
  "hyperdrive services analytics_engine_datasets dispatch_namespaces mtls_certificates tail_consumers " +
  "streaming_tail_consumers browser ai images pipelines secrets_store_secrets ratelimits " +
  "version_metadata worker_loaders vpc_services logfwdr"
).split(" ");

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null;

/** What identifies the bindings of one config key: binding names, var names, consumer slots. */
function bindingIds(key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (key === "vars" || key === "define") return isRecord(value) ? Object.keys(value) : [];
  if (key === "queues" && isRecord(value)) {
    const producers = Array.isArray(value.producers) ? value.producers : [];
    const consumers = Array.isArray(value.consumers) ? value.consumers : [];
    return [
      ...producers.map((p: unknown) => `producer ${isRecord(p) ? String(p.binding) : "?"}`),
      ...consumers.map((_: unknown, i: number) => `consumer #${i + 1}`),
    ];
  }
  if (key === "durable_objects" && isRecord(value)) return bindingIds("bindings", value.bindings);
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (!isRecord(item)) return String(item);
    const id = item.binding ?? item.name ?? item.queue ?? item.service;
    return typeof id === "string" ? id : JSON.stringify(item);
  });
}

/**
 * Bindings (and vars) of the top level that `[env.<env>]` does not repeat, as `key: id` strings. Wrangler warns
 * only when a whole key is missing; this also finds one binding of several left out.
 */
export function bindingGaps(raw: Raw, env: string): string[] {
  const envs = isRecord(raw.env) ? raw.env : {};
  const section = isRecord(envs[env]) ? (envs[env] as Raw) : {};
  return NOT_INHERITED.flatMap((key) => {
    const present = new Set(bindingIds(key, section[key]));
    return bindingIds(key, raw[key])
      .filter((id) => !present.has(id))
      .map((id) => `${key}: ${id}`);
  });
}
