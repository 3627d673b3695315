import { defineConfig } from "drizzle-kit";

// Relative paths: drizzle-kit prefixes `out` with "./", so absolute paths break. Run it from this folder.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "../../migrations/products",
});
