import { defineConfig } from "drizzle-kit";

// Relative to workers/orders (run drizzle-kit from there): drizzle-kit mangles absolute `out` paths.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "../../migrations/orders",
});
