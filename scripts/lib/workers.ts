import { fileURLToPath } from "node:url";
import { SERVICES, type ServiceName } from "@edge-shop/contracts";

/** The repository root, whatever the cwd. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export { SERVICES };
export type Service = ServiceName;

/** Wrangler config of a service, relative to the root. */
export const configOf = (service: Service) => `workers/${service}/wrangler.toml`;

/** Local D1 database name of a service (as in its wrangler.toml). */
export const databaseOf = (service: Service) => `${service}-db`;

/** Every wrangler config, the gateway's first: `wrangler dev` serves the first one on the port. */
export const ALL_CONFIGS = ["wrangler.toml", ...SERVICES.map(configOf)];

/** Each worker's wrangler config and its folder (the gateway's config stays at the top, its code in workers/gateway). */
export const WORKER_DIRS: { config: string; dir: string }[] = [
  { config: "wrangler.toml", dir: "workers/gateway" },
  ...SERVICES.map((service) => ({ config: configOf(service), dir: `workers/${service}` })),
];

export const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;
