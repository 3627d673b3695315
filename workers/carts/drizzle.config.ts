import { defineConfig } from "drizzle-kit";

// Relative to workers/carts (run drizzle-kit from there): drizzle-kit mangles absolute `out` paths.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "../../migrations/carts",
});
