// Setup file of every worker test project with a D1 database (see d1Migrations in vitest.shared.ts): applies the
// service's migrations once per test file; applyD1Migrations skips those already applied.
import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";

const { DB, TEST_MIGRATIONS } = env as unknown as { DB: D1Database; TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(DB, TEST_MIGRATIONS);
