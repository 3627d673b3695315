import { fileURLToPath } from "node:url";

/** The repository root, whatever the cwd. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const SERVICES = ["users", "products", "orders", "payments", "notifications"] as const;
export type Service = (typeof SERVICES)[number];

/** Wrangler config of a service, relative to the root. */
export const configOf = (service: Service) => `workers/${service}/wrangler.toml`;

/** Local D1 database name of a service (as in its wrangler.toml). */
export const databaseOf = (service: Service) => `${service}-db`;

/** Every wrangler config, the gateway's first: `wrangler dev` serves the first one on the port. */
export const ALL_CONFIGS = ["wrangler.toml", ...SERVICES.map(configOf)];

export const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;
