// `pnpm dev`: applies migrations, seeds demo data (idempotently) and runs all seven workers in one `wrangler dev`.
import { ensureDevVars } from "./lib/dev-vars";
import { migrateLocal, seedLocal } from "./lib/local-state";
import { seedPictures } from "./lib/seed-pictures";
import { startStack } from "./lib/stack";
import { ROOT } from "./lib/workers";

const PORT = Number(process.env.PORT ?? 8787);
const PERSIST_TO = `${ROOT}.wrangler/state`;

const created = await ensureDevVars();
for (const file of created) console.log(`generated local secrets in ${file}`);
console.log("applying D1 migrations (local)…");
await migrateLocal(PERSIST_TO);
console.log("seeding demo data…");
const seeded = await seedLocal(PERSIST_TO);
console.log(`seeded: ${seeded.join(", ") || "nothing yet"}`);
console.log("starting all workers in one wrangler dev…");
const stack = await startStack({ port: PORT, persistTo: PERSIST_TO, timeoutMs: 180_000 });
try {
  const pictures = await seedPictures(stack.url);
  if (pictures > 0) console.log(`seeded: ${pictures} demo pictures`);
} catch (error) {
  console.error(`demo pictures not seeded: ${(error as Error).message}`);
}

console.log(`
  The shop is running.
    storefront     ${stack.url}/
    gateway        ${stack.url}              (the only public entry)
    health         ${stack.url}/health
    API            ${stack.url}/api/…        (see README.md)
    API reference  ${stack.url}/docs  (OpenAPI document: ${stack.url}/openapi.json)
    JWKS           ${stack.url}/.well-known/jwks.json
    services       users, products, orders, payments, notifications, carts: internal, over service bindings
    cron triggers  every worker's, on the schedules of its wrangler.toml: one [cron] line per run
    local state    .wrangler/state  (delete it to start from scratch)
    admin login    admin@example.com / admin-password-1 (local only)
  Ctrl-C stops everything.
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
stack.process.on("exit", (code) => {
  if (!stopping) process.exit(code ?? 1);
});
