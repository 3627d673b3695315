import { defineConfig } from "drizzle-kit";

// drizzle-kit prefixes paths with "./", so absolute paths break: these are relative to
// workers/notifications/, where `drizzle-kit generate` is run.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "../../migrations/notifications",
});
