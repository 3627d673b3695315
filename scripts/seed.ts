// `pnpm seed`: re-applies migrations and the idempotent demo data to the local state used by `pnpm dev`.
import { migrateLocal, seedLocal } from "./lib/local-state";
import { ROOT } from "./lib/workers";

const persistTo = `${ROOT}.wrangler/state`;
await migrateLocal(persistTo);
console.log(`seeded: ${(await seedLocal(persistTo)).join(", ") || "nothing"}`);
