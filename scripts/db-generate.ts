// `pnpm db:generate`: drizzle-kit generate for every service, from its src/db/schema.ts into migrations/<service>/.
import { run } from "./lib/run";
import { ROOT, SERVICES } from "./lib/workers";

for (const service of SERVICES) {
  // From the worker's folder: drizzle-kit resolves the config's paths against the cwd.
  await run(`${ROOT}node_modules/.bin/drizzle-kit`, ["generate"], { cwd: `${ROOT}workers/${service}` });
}
