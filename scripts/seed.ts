// `pnpm seed`: re-applies migrations and the idempotent demo data to the local state used by `pnpm dev` (and the
// demo pictures, when `pnpm dev` is running).
import { migrateLocal, seedLocal } from "./lib/local-state";
import { seedPictures } from "./lib/seed-pictures";
import { ROOT } from "./lib/workers";

const persistTo = `${ROOT}.wrangler/state`;
await migrateLocal(persistTo);
console.log(`seeded: ${(await seedLocal(persistTo)).join(", ") || "nothing"}`);
// Pictures go through the running shop's upload route: only when `pnpm dev` is running (it uploads them itself).
const base = `http://localhost:${process.env.PORT ?? 8787}`;
const running = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) }).then(
  (r) => r.ok,
  () => false,
);
if (running) console.log(`seeded: ${await seedPictures(base)} demo pictures`);
else console.log("demo pictures: uploaded by `pnpm dev` once the shop runs");
