import { defineConfig } from "drizzle-kit";

// Run from workers/payments/ (drizzle-kit resolves these relative to the working directory).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "../../migrations/payments",
});
