import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: new URL("./src/db/schema.ts", import.meta.url).pathname,
  out: new URL("../../migrations/products", import.meta.url).pathname,
});
