// `pnpm db:migrate:local`: applies every service's D1 migrations to the local state used by `pnpm dev`.
import { migrateLocal } from "./lib/local-state";
import { ROOT } from "./lib/workers";

await migrateLocal(`${ROOT}.wrangler/state`);
console.log("local D1 migrations applied");
